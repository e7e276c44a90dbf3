package io.flowhost.gateway;

import io.flowhost.wire.netty.LimitedAggregator;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.tracing.Tracing;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front door: one port for endpoint calls (relayed to instances over pooled keep-alive
 * connections on the caller's own event loop, bodies passed on untouched) and for management.
 */
public final class Gateway implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private Gateway(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Listens on the settings' host and port. */
    public static Gateway start(
            GatewaySettings settings,
            RouteTable routes,
            ManagementRoutes management,
            AsyncIntake async,
            CallObserver observer) {
        return start(settings, routes, management, async, observer, Tracing.off());
    }

    /** Listens on the settings' host and port, tracing the calls it forwards. */
    public static Gateway start(
            GatewaySettings settings,
            RouteTable routes,
            ManagementRoutes management,
            AsyncIntake async,
            CallObserver observer,
            Tracing tracing) {
        var transport = Transport.best();
        var group = transport.group(settings.ioThreads(), new DefaultThreadFactory("gateway-io", true));
        var pool = new BackendPool(transport, settings.requestTimeout());
        try {
            var channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            var aggregator =
                                    new LimitedAggregator(settings.maxBody(), settings.maxJar(), "/v1/deployments");
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            aggregator,
                                            new GatewayHandler(
                                                    routes, pool, management, aggregator, async, observer, tracing));
                        }
                    })
                    .bind(settings.host(), settings.port())
                    .sync()
                    .channel();
            return new Gateway(group, channel);
        } catch (Exception e) {
            // bind() reports a port in use as a checked BindException, rethrown by sync()
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException(
                    "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage()
                            + "; is another server running there? choose another port with --port",
                    e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
