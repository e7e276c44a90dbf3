package io.flowhost.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.pipeline.Admission;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.gateway.pipeline.Pipeline;
import io.flowhost.gateway.shadow.ShadowObserver;
import io.flowhost.gateway.shadow.ShadowPair;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.protocol.UnauthorizedException;
import io.flowhost.wire.tracing.Tracing;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline and the forwarder over real sockets, in front of a plain HTTP server standing in for an
 * instance, which records what reached it.
 */
class ForwardingTest {

    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicInteger hits = new AtomicInteger();
    private final BlockingQueue<ShadowPair> pairs = new LinkedBlockingQueue<>();
    private HttpServer instance;
    private EventLoopGroup loops;
    private CallHandler pipeline;
    private RouteTable routes;
    private volatile Admission admission = (call, deployment) -> {
        throw new AssertionError("an open deployment's calls are not asked about");
    };

    @BeforeEach
    void start() throws IOException {
        instance = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        instance.createContext("/v1/services/", exchange -> {
            hits.incrementAndGet();
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.getFirst()));
            var body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        instance.start();
        var transport = Transport.best();
        loops = transport.group(1, new DefaultThreadFactory("test-io", true));
        routes = new RouteTable(Clock.systemUTC());
        routes.readyChanged(
                deployment("svc", Access.open()),
                List.of(new InstanceAddress("svc-v1-1", (InetSocketAddress) instance.getAddress())));
        routes.readyChanged(
                deployment("locked", new Access(true, null)),
                List.of(new InstanceAddress("locked-v1-1", (InetSocketAddress) instance.getAddress())));
        routes.readyChanged(
                deployment("shadowed", Access.open()),
                List.of(new InstanceAddress("shadowed-v1-1", (InetSocketAddress) instance.getAddress())));
        var shadow = deployment("shadowed", Access.open());
        shadow = new Deployment(
                        "shadowed-v2",
                        "shadowed",
                        2,
                        "",
                        shadow.jar(),
                        shadow.descriptor(),
                        Map.of(),
                        Deployment.State.ACTIVE,
                        Instant.EPOCH,
                        Map.of(),
                        null,
                        ScalingSettings.defaults(),
                        Retention.defaults(),
                        Resources.none(),
                        Access.open())
                .withRollout(Rollout.deployed(
                        Variant.SHADOW, new Split(100), null, 0, null, Guardrails.DEFAULTS, "test", Instant.EPOCH));
        routes.readyChanged(
                shadow, List.of(new InstanceAddress("shadowed-v2-1", (InetSocketAddress) instance.getAddress())));
        var forwarder =
                new InstanceForwarder(transport, Duration.ofSeconds(30), Tracing.off(), new HeldBytes(1024 * 1024));
        pipeline = Pipeline.of(
                routes,
                forwarder,
                call -> CompletableFuture.failedFuture(new AssertionError("nothing is queued here")),
                (call, deployment) -> admission.admit(call, deployment),
                CallObserver.NONE,
                new ShadowObserver() {
                    @Override
                    public void compared(ShadowPair pair) {
                        pairs.add(pair);
                    }

                    @Override
                    public void dropped(Deployment shadow) {
                        throw new AssertionError("the shadow has room");
                    }
                },
                Tracing.off());
    }

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        instance.stop(0);
    }

    @Test
    void aShadowGetsACopyOnceThePrimaryAnsweredAndTheTwoAnswersAreCompared() throws Exception {
        var response = call("/v1/services/shadowed/echo", Map.of());

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
        response.release();
        var pair = pairs.poll(30, TimeUnit.SECONDS);
        assertThat(pair).isNotNull();
        assertThat(pair.primary().id()).isEqualTo("shadowed-v1");
        assertThat(pair.shadow().id()).isEqualTo("shadowed-v2");
        assertThat(pair.shadowStatus()).isEqualTo(200);
        assertThat(pair.agreed()).isTrue();
        assertThat(hits).hasValue(2);
    }

    private static Deployment deployment(String service, Access access) {
        var descriptor = new ServiceDescriptor(
                service, "Svc", List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", "")));
        return new Deployment(
                service + "-v1",
                service,
                1,
                "",
                Path.of("svc.jar"),
                descriptor,
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults(),
                Retention.defaults(),
                Resources.none(),
                access);
    }

    @Test
    void anInstanceThatDroppedACallIsSkippedForAWhileThenGetsTheCallsHeldMeanwhile() throws Exception {
        try (var dropping = new DroppingInstance()) {
            routes.readyChanged(
                    deployment("flaky", Access.open()), List.of(new InstanceAddress("flaky-v1-1", dropping.address())));

            var dropped = call("/v1/services/flaky/echo", Map.of());
            var next = send("/v1/services/flaky/echo", Map.of());

            assertThat(dropped.status().code()).isEqualTo(502);
            dropped.release();
            // Held, not sent into what may be a dying process; and sent on once the skip is over, the instance being
            // its deployment's only one (not left held until the hold timeout, two minutes).
            var answer = next.get(60, TimeUnit.SECONDS);
            assertThat(answer.status().code()).isEqualTo(200);
            answer.release();
            assertThat(dropping.arrivals()).hasSize(2);
            assertThat(dropping.arrivals().get(1) - dropping.droppedAt())
                    .isGreaterThanOrEqualTo(Backend.SKIP.toNanos());
        }
    }

    private FullHttpResponse call(String uri, Map<String, String> headers) throws Exception {
        return send(uri, headers).get(30, TimeUnit.SECONDS);
    }

    private CompletableFuture<FullHttpResponse> send(String uri, Map<String, String> headers) {
        var request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, uri, Unpooled.copiedBuffer("{\"x\":1}", StandardCharsets.UTF_8));
        request.headers().set("Content-Type", "application/json");
        request.headers().setInt("Content-Length", request.content().readableBytes());
        headers.forEach(request.headers()::add);
        var call = Call.incoming(request, CallPath.parse(uri), "req-1", loops.next());
        return pipeline.handle(call);
    }

    @Test
    void hopByHopHeadersAndThoseConnectionNamesStayWithTheCallersConnection() throws Exception {
        var response = call(
                "/v1/services/svc/echo",
                Map.of(
                        "Connection", "keep-alive, X-Secret",
                        "X-Secret", "for the first hop only",
                        "Keep-Alive", "timeout=5",
                        "TE", "trailers",
                        "Upgrade", "h2c",
                        "Proxy-Authorization", "Basic c2VjcmV0",
                        "X-Custom", "end to end"));

        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
        response.release();
        assertThat(seen).containsEntry("x-custom", "end to end").containsEntry("x-request-id", "req-1");
        assertThat(seen)
                .doesNotContainKeys("x-secret", "keep-alive", "te", "upgrade", "proxy-authorization", "connection");
    }

    @Test
    void aCallToNoServiceIsAnsweredWithItsProblemAndReachesNoInstance() throws Exception {
        var response = call("/v1/services/nope/echo", Map.of());

        assertThat(response.status().code()).isEqualTo(404);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("unknown-service");
        response.release();
        assertThat(seen).isEmpty();
    }

    @Test
    void anEndpointTheServiceDoesNotHaveIsRefusedAtTheGateway() throws Exception {
        var response = call("/v1/services/svc/predict", Map.of());

        assertThat(response.status().code()).isEqualTo(404);
        assertThat(response.content().toString(StandardCharsets.UTF_8))
                .contains("unknown-endpoint")
                .contains("[echo]");
        response.release();
        assertThat(seen).isEmpty();
    }

    @Test
    void aGuardedDeploymentsCallRefusedByItsAdmissionGetsWhyAndReachesNoInstance() throws Exception {
        admission = (call, deployment) -> CompletableFuture.failedFuture(new UnauthorizedException("no token"));

        var response = call("/v1/services/locked/echo", Map.of());

        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("no token");
        response.release();
        assertThat(seen).isEmpty();
    }

    @Test
    void aCallGoesToTheInstancesUnixSocketWhenItHasOneRatherThanItsPort(@TempDir Path dir) throws Exception {
        var transport = Transport.best();
        Assumptions.assumeTrue(transport.hasDomainSockets(), "no Unix sockets in NIO, off Linux");
        var socket = dir.resolve("socket");
        var onSocket = new ServerBootstrap()
                .group(loops)
                .channel(transport.domainServerChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer());
                    }
                })
                .bind(new DomainSocketAddress(socket.toFile()))
                .sync()
                .channel();
        try {
            // Its port takes no calls (nothing listens on port 1): an answer can only have come over the socket.
            routes.readyChanged(
                    deployment("local", Access.open()),
                    List.of(new InstanceAddress("local-v1-1", new InetSocketAddress("127.0.0.1", 1), socket)));

            var response = call("/v1/services/local/echo", Map.of());

            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("over the socket");
            response.release();
        } finally {
            onSocket.close().sync();
        }
    }

    /** An instance on a Unix socket: answers every call with where it came. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            var answer = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("over the socket", StandardCharsets.UTF_8));
            answer.headers()
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes());
            ctx.writeAndFlush(answer);
        }
    }

    @Test
    void aCallAdmittedLaterFromAnotherThreadGoesOnToItsInstance() throws Exception {
        var lookUps = Executors.newVirtualThreadPerTaskExecutor();
        admission = (call, deployment) ->
                CompletableFuture.runAsync(() -> call.request().headers().set("X-Looked-Up", deployment.id()), lookUps);

        var response = call("/v1/services/locked/echo", Map.of());

        assertThat(response.status().code()).isEqualTo(200);
        response.release();
        assertThat(seen).containsEntry("x-looked-up", "locked-v1");
        lookUps.close();
    }
}
