package io.flowhost.wire.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each transport this machine offers carries bytes both ways over loopback, and over a Unix domain socket where it
 * has them; a bad name says what to write.
 */
class TransportTest {

    @Test
    void everyTransportThisMachineOffersCarriesACallAndItsAnswer() throws Exception {
        var names = new ArrayList<>(List.of("nio"));
        if (Epoll.isAvailable()) {
            names.add("epoll");
        }
        if (IoUring.isAvailable()) {
            names.add("io_uring");
        }
        for (var name : names) {
            var transport = Transport.named(name);
            assertThat(roundTrip(
                            transport,
                            transport.serverChannel(),
                            transport.channel(),
                            new InetSocketAddress("127.0.0.1", 0),
                            "ping"))
                    .as(name)
                    .isEqualTo("pong:ping");
        }
    }

    @Test
    void epollAndIoUringCarryACallOverAUnixDomainSocketAndNioLeavesThemOut(@TempDir Path dir) throws Exception {
        assertThat(Transport.named("nio").hasDomainSockets()).isFalse();
        var names = new ArrayList<String>();
        if (Epoll.isAvailable()) {
            names.add("epoll");
        }
        if (IoUring.isAvailable()) {
            names.add("io_uring");
        }
        Assumptions.assumeFalse(names.isEmpty(), "neither epoll nor io_uring runs here");
        for (var name : names) {
            var transport = Transport.named(name);
            assertThat(transport.hasDomainSockets()).as(name).isTrue();
            var socket = new DomainSocketAddress(dir.resolve(name + ".sock").toFile());
            assertThat(roundTrip(transport, transport.domainServerChannel(), transport.domainChannel(), socket, "ping"))
                    .as(name)
                    .isEqualTo("pong:ping");
        }
    }

    @Test
    void theGatewayPrefersIoUringThenEpollAndAnInstanceEpoll() {
        var expected = IoUring.isAvailable() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(Transport.best().name()).isEqualTo(expected);
        assertThat(Transport.forInstance().name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void theSystemPropertyNamesTheTransportAndAnUnknownNameSaysWhatToWrite() {
        System.setProperty(Transport.PROPERTY, "nio");
        try {
            assertThat(Transport.best().name()).isEqualTo("nio");
        } finally {
            System.clearProperty(Transport.PROPERTY);
        }
        assertThatThrownBy(() -> Transport.named("uring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dflowhost.transport=uring: unknown transport (expected: epoll, io_uring or nio)");
    }

    /** Sends {@code text} to a server of the transport, listening where asked, that answers "pong:" and what it read. */
    private static String roundTrip(
            Transport transport,
            Class<? extends ServerChannel> serverChannel,
            Class<? extends Channel> channel,
            SocketAddress listenOn,
            String text)
            throws Exception {
        var group = transport.group(1, new DefaultThreadFactory("transport-test", true));
        try {
            var server = new ServerBootstrap()
                    .group(group)
                    .channel(serverChannel)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            var in = (ByteBuf) msg;
                            var answer = "pong:" + in.toString(StandardCharsets.UTF_8);
                            in.release();
                            ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.UTF_8));
                        }
                    })
                    .bind(listenOn)
                    .sync()
                    .channel();
            var answered = new CompletableFuture<String>();
            var client = new Bootstrap()
                    .group(group)
                    .channel(channel)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            var in = (ByteBuf) msg;
                            answered.complete(in.toString(StandardCharsets.UTF_8));
                            in.release();
                        }
                    })
                    .connect(server.localAddress())
                    .sync()
                    .channel();
            client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            var answer = answered.get(30, TimeUnit.SECONDS);
            client.close().sync();
            server.close().sync();
            return answer;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
