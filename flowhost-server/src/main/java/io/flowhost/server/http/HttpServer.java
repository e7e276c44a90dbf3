package io.flowhost.server.http;

import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.server.tls.ReloadingTls;
import io.flowhost.wire.netty.ChunkWriter;
import io.flowhost.wire.netty.HeaderCount;
import io.flowhost.wire.netty.ReadGate;
import io.flowhost.wire.netty.ServerCodecs;
import io.flowhost.wire.netty.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The server's one port: calls to instances go to the gateway's pipeline, everything else to the
 * management routes; one event loop per core, bodies collected up to their route's limit. With TLS the port
 * speaks HTTPS only, HTTP/2 to clients that offer it and HTTP/1.1 to the rest.
 */
public final class HttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final EventLoopGroup group;
    private final Channel channel;
    private final ReloadingTls tls;

    private HttpServer(EventLoopGroup group, Channel channel, ReloadingTls tls) {
        this.group = group;
        this.channel = channel;
        this.tls = tls;
    }

    /**
     * Event loops of the best transport, not yet listening: the gateway's pool of instance connections and the
     * dispatcher's calls run on them too.
     */
    public static EventLoopGroup loops(Transport transport, int threads) {
        return transport.group(threads, new DefaultThreadFactory("gateway-io", true));
    }

    /**
     * Listens on the host and port with the given event loops (which it shuts down when closed), refusing what
     * the limits say: connections past the cap, headers sent too slowly, idle connections kept too long, bodies
     * over their route's limit (a jar posted to deploy is written to a file under {@code uploadDir} as it comes,
     * not held in memory). With {@code tls} the port speaks TLS only (closing the server stops its reloads);
     * null is plain HTTP.
     */
    public static HttpServer start(
            String host,
            int port,
            Transport transport,
            EventLoopGroup group,
            Limits limits,
            Path uploadDir,
            CallHandler calls,
            ManagementRoutes management,
            ReloadingTls tls) {
        DescriptorBudget.shortfall(DescriptorBudget.maxFiles(), limits.maxConnections())
                .ifPresent(warning -> LOG.log(Level.WARNING, warning));
        var guard = new ManagementGuard(ManagementGuard.isLoopback(host), tls == null ? "http" : "https");
        var parts = new EdgeParts(limits, uploadDir, calls, management, guard);
        ChannelHandler connections = tls == null
                ? plain(parts, new ConnectionCap(limits.maxConnections()))
                : new TlsConnections(tls, new ConnectionCap(limits.maxConnections(), false), parts);
        try {
            var channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ChunkWriter.WATER_MARK)
                    .childHandler(connections)
                    .bind(host, port)
                    .sync()
                    .channel();
            return new HttpServer(group, channel, tls);
        } catch (Exception e) {
            // bind() reports a port in use as a checked BindException, rethrown by sync()
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (tls != null) {
                tls.close();
            }
            throw new IllegalStateException(
                    "cannot listen on " + host + ":" + port + ": " + e.getMessage()
                            + "; is another server running there? choose another port with --port",
                    e);
        }
    }

    /** A plain HTTP/1.1 connection: the hot path, with nothing TLS or HTTP/2 would add. */
    private static ChannelInitializer<SocketChannel> plain(EdgeParts parts, ConnectionCap cap) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                var deadline = new HeaderDeadline(parts.limits().headerTimeout());
                ch.pipeline()
                        .addLast(
                                new ReadGate(),
                                deadline.bytes(),
                                ServerCodecs.http(),
                                HeaderCount.LIMIT,
                                cap,
                                deadline.requests(),
                                parts.idle(),
                                parts.uploads(),
                                parts.aggregator(),
                                parts.edge());
            }
        };
    }

    /** Whether a listening address is loopback only (127.0.0.0/8, ::1, localhost). */
    public static boolean isLoopback(String host) {
        return ManagementGuard.isLoopback(host);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** One of the event loops, in turn. */
    public EventLoop nextLoop() {
        return group.next();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (tls != null) {
            tls.close();
        }
    }
}
