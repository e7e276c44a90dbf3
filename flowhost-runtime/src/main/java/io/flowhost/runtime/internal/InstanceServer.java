package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.runtime.predictions.Predictions;
import io.flowhost.wire.netty.ChunkWriter;
import io.flowhost.wire.netty.LimitedAggregator;
import io.flowhost.wire.netty.ReadGate;
import io.flowhost.wire.netty.ServerCodecs;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.tracing.Tracing;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The Netty server of one instance, and the one-time construction of its service. */
public final class InstanceServer implements AutoCloseable {

    private final Served served;
    private final InstanceOptions options;
    private final AtomicReference<Object> target;
    private final MetaflowAccess metaflow;
    private final StartTimings timings;
    private Probes probes;
    private final EventLoopGroup group;
    private final ExecutorService handlers;
    private final Channel channel;
    private final Channel socketChannel; // on the options' Unix socket, or null
    private final Predictions predictions;
    private Tracing tracing = Tracing.off();

    private InstanceServer(
            Served served,
            InstanceOptions options,
            AtomicReference<Object> target,
            MetaflowAccess metaflow,
            StartTimings timings,
            EventLoopGroup group,
            ExecutorService handlers,
            Channel channel,
            Channel socketChannel,
            Predictions predictions) {
        this.timings = timings;
        this.served = served;
        this.options = options;
        this.target = target;
        this.metaflow = metaflow;
        this.group = group;
        this.handlers = handlers;
        this.channel = channel;
        this.socketChannel = socketChannel;
        this.predictions = predictions;
    }

    /** Listens on the options' address; probes answer at once, endpoints after {@link #construct()}. */
    public static InstanceServer start(
            Served served, InstanceOptions options, ObjectMapper json, long mainStartedAt, long jarFetchedAt)
            throws ServiceDefinitionException {
        var transport = Transport.forInstance();
        // One event loop is plenty: it only parses HTTP; the handlers run on virtual threads.
        var group = transport.group(1, new DefaultThreadFactory("instance-io", true));
        var handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("handler-", 0).factory());
        // The service object, set once its constructor returns; created before binding so that a probe
        // arriving at once finds it (empty) rather than nothing.
        var target = new AtomicReference<Object>();
        var metaflow = new MetaflowAccess(options.metaflow(), options.pins());
        // Its loggers are looked for while Netty starts; construct() waits for them.
        var predictions = Predictions.open(
                options.predictions(), served.descriptor().service(), metaflow::pins, classLoader(served));
        var timings = new StartTimings(mainStartedAt, jarFetchedAt, options.portFile() == null);
        var tracing = Tracing.fromEnvironment("flowhost-" + served.descriptor().service());
        var probes = new Probes(
                served.descriptor().service(),
                () -> target.get() != null,
                metaflow::pins,
                timings::asMap,
                json,
                predictions,
                tracing);
        var observing = new Observing(tracing, predictions);
        ChannelInitializer<Channel> connection = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(
                                new ReadGate(),
                                ServerCodecs.http(),
                                new LimitedAggregator(options.maxBody()),
                                served.handler(target::get, probes, json, handlers, observing));
            }
        };
        Channel channel = null;
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ChunkWriter.WATER_MARK)
                    .childHandler(connection)
                    .bind(options.host(), options.port())
                    .sync()
                    .channel();
            var socketChannel = options.socket() == null ? null : bindSocket(transport, group, connection, options);
            timings.listening();
            var server = new InstanceServer(
                    served, options, target, metaflow, timings, group, handlers, channel, socketChannel, predictions);
            server.probes = probes;
            server.tracing = tracing;
            return server;
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            handlers.shutdownNow();
            predictions.close();
            tracing.close();
            throw new ServiceDefinitionException(
                    channel == null
                            ? "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage()
                                    + " (is another process using the port?)"
                            : "cannot listen on the socket " + options.socket() + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Listens on the options' Unix socket too, replacing a file left there; where the transport has no Unix sockets
     * (NIO, off Linux) the instance takes calls over TCP only, which its driver sees as no socket file.
     */
    private static Channel bindSocket(
            Transport transport, EventLoopGroup group, ChannelInitializer<Channel> connection, InstanceOptions options)
            throws IOException, InterruptedException {
        if (!transport.hasDomainSockets()) {
            System.getLogger("flowhost.instance")
                    .log(
                            System.Logger.Level.INFO,
                            "not listening on " + options.socket() + ": the " + transport.name()
                                    + " transport has no Unix sockets; TCP only");
            return null;
        }
        Files.deleteIfExists(options.socket());
        return new ServerBootstrap()
                .group(group)
                .channel(transport.domainServerChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ChunkWriter.WATER_MARK)
                .childHandler(connection)
                .bind(new DomainSocketAddress(options.socket().toFile()))
                .sync()
                .channel();
    }

    /** The loader that sees the service jar and the platform: where prediction loggers are looked for. */
    private static ClassLoader classLoader(Served served) {
        return served instanceof ServedClass c
                ? c.service().constructor().getDeclaringClass().getClassLoader()
                : InstanceServer.class.getClassLoader();
    }

    /** Builds what is served (calls the service's constructor, loads the model); ready once it returns. */
    public void construct() throws ServiceDefinitionException {
        timings.constructing();
        // Found while Netty started, so rarely waited for; a logger that cannot be loaded stops the start here.
        predictions.awaitLoggers();
        var built = served instanceof ServedClass c
                ? c.construct(options, metaflow, OtelSpans.of(tracing))
                : served.construct(options, metaflow);
        timings.constructed();
        target.set(built);
    }

    /** The body {@code /readyz} answers with once ready (pins and start timings). */
    public byte[] readyReport() {
        return probes.readyBody();
    }

    /** Blocks until the server stops listening. */
    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    /** Whether it takes calls on the options' Unix socket too. */
    public boolean onSocket() {
        return socketChannel != null;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public boolean ready() {
        return target.get() != null;
    }

    @Override
    public void close() {
        // Stop accepting, let the handlers in progress write their answers, then stop the event loop.
        channel.close().syncUninterruptibly();
        if (socketChannel != null) {
            socketChannel.close().syncUninterruptibly();
            try {
                Files.deleteIfExists(options.socket());
            } catch (IOException e) {
                System.getLogger("flowhost.instance")
                        .log(System.Logger.Level.WARNING, "cannot remove " + options.socket() + ": " + e);
            }
        }
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        predictions.close(); // after the handlers: their last calls are logged too
        tracing.close(); // and traced
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (target.get() instanceof AutoCloseable closeable) {
            try {
                closeable.close(); // an ONNX model's native session, say
            } catch (Exception e) {
                System.getLogger("flowhost.instance").log(System.Logger.Level.WARNING, "closing failed: " + e);
            }
        }
    }
}
