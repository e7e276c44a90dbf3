package io.flowhost.gateway;

import io.flowhost.wire.netty.ReadGate;
import io.flowhost.wire.netty.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Idle keep-alive connections to instances, kept per event loop: a call borrows one on its own
 * loop, so pooling needs no locks, and returns it when the answer has gone out.
 */
final class BackendPool {

    /** The largest answer an instance may send, but for a stream relayed as it comes. */
    private static final int MAX_RESPONSE = 64 * 1024 * 1024;

    /** The largest piece of a streamed answer's body passed on at once (Netty's default is 8 KiB). */
    private static final int MAX_CHUNK = 64 * 1024;

    private final FastThreadLocal<Map<Backend, ArrayDeque<Channel>>> idle = new FastThreadLocal<>() {
        @Override
        protected Map<Backend, ArrayDeque<Channel>> initialValue() {
            return new HashMap<>();
        }
    };
    private final Transport transport;
    private final Duration timeout;

    BackendPool(Transport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    /** Hands a connection to the backend, on the given event loop, to {@code then}: pooled if one is idle, else new. */
    void acquire(EventLoop loop, Backend backend, BiConsumer<BackendHandler, Throwable> then) {
        var queue = idle.get().get(backend);
        while (queue != null && !queue.isEmpty()) {
            var channel = queue.pollLast();
            var handler = channel.pipeline().get(BackendHandler.class);
            if (channel.isActive() && handler != null && peerStillThere(channel, handler)) {
                then.accept(handler, null);
                return;
            }
            channel.close();
        }
        connect(loop, backend).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                then.accept(f.channel().pipeline().get(BackendHandler.class), null);
            } else {
                then.accept(null, f.cause());
            }
        });
    }

    /**
     * Whether the instance is still at the other end of an idle connection. When an instance dies
     * its kernel closes the connection at once, but the gateway hears of it only when its event loop
     * gets to reading: a call sent in between would be lost with the instance. The kernel already
     * knows (the connection left ESTABLISHED), and asking it costs one system call, so it is asked
     * for connections idle a millisecond or more; a connection in steady use is not. A Unix socket
     * needs no asking: writing to one whose peer has gone fails at once, and a call never written is
     * sent elsewhere.
     */
    private static boolean peerStillThere(Channel channel, BackendHandler handler) {
        if (handler.idleNanos() <= 1_000_000) {
            return true;
        }
        return switch (channel) {
            case EpollSocketChannel epoll -> epoll.tcpInfo().state() == TCP_ESTABLISHED;
            case IoUringSocketChannel uring -> uring.tcpInfo().state() == TCP_ESTABLISHED;
            default -> true;
        };
    }

    private static final int TCP_ESTABLISHED = 1;

    /** Returns a connection whose call is answered; called on its event loop. */
    void release(Backend backend, Channel channel) {
        idle.get().computeIfAbsent(backend, b -> new ArrayDeque<>()).addLast(channel);
    }

    /** Forgets a connection that closed, so that a gone instance leaves nothing behind; called on its event loop. */
    void discard(Backend backend, Channel channel) {
        var pooled = idle.get();
        var queue = pooled.get(backend);
        if (queue != null && queue.remove(channel) && queue.isEmpty()) {
            pooled.remove(backend);
        }
    }

    /**
     * A new connection: to the instance's Unix socket where it has one and this transport can reach it (a round trip
     * costs both sides less than over loopback TCP), else to its port.
     */
    private ChannelFuture connect(EventLoop loop, Backend backend) {
        boolean local = backend.socket() != null && transport.hasDomainSockets();
        var bootstrap = new Bootstrap()
                .group(loop)
                .channel(local ? transport.domainChannel() : transport.channel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
        if (!local) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        return bootstrap
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new ReadGate(), // streams relayed: a relay stops reads, all of them
                                        // chunks of a relayed stream as large as a read: fewer, larger writes
                                        new HttpClientCodec(4096, 8192, MAX_CHUNK),
                                        new StreamedAnswers(),
                                        new HttpObjectAggregator(MAX_RESPONSE),
                                        new BackendHandler(BackendPool.this, backend, timeout));
                    }
                })
                .connect(local ? new DomainSocketAddress(backend.socket().toFile()) : backend.address());
    }
}
