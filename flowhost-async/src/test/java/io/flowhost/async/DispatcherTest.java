package io.flowhost.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.State;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.gateway.Call;
import io.flowhost.gateway.RouteTable;
import io.flowhost.state.RequestStore;
import io.flowhost.state.sqlite.SqliteRequestStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher against a real SQLite store, with the gateway's pipeline replaced by a handler the test controls: a
 * worker runs the queue one request after another, and a call the pipeline never answers is given up at its deadline.
 */
class DispatcherTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T12:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final DefaultEventLoop loop = new DefaultEventLoop();
    /** The bodies of the calls the pipeline was handed, in order. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private SqliteRequestStore store;
    private Dispatcher dispatcher;

    @BeforeEach
    void open() {
        store = SqliteRequestStore.open(dir.resolve("requests.db"));
        dispatcher = new Dispatcher(
                store,
                new RouteTable(clock),
                REQUEST_TIMEOUT,
                new Callbacks(store, clock, Duration.ofSeconds(1), new CallbackOrigins(List.of(), () -> 0)),
                clock);
    }

    @AfterEach
    void close() {
        dispatcher.close();
        store.close();
        loop.shutdownGracefully();
    }

    @Test
    void aWorkerRunsTheQueuedRequestsOneAfterAnotherInArrivalOrder() {
        var ids = List.of(submit("a"), submit("b"), submit("c"));
        dispatcher.start(call -> CompletableFuture.completedFuture(answer(call)), () -> loop);

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> state(id) == State.SUCCEEDED));
        assertThat(calls)
                .as("one slot (no instance is ready): one worker, in arrival order")
                .containsExactly("a", "b", "c");
        assertThat(new String(store.get(ids.get(1)).orElseThrow().result().body(), StandardCharsets.UTF_8))
                .isEqualTo("echo b");
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.running("echo-v1") == 0);
    }

    @Test
    void underABacklogOfQuickCallsAWorkerLeasesItsNextRequestWhileItsCallRunsAndOnlyThatOne() {
        var ids = List.of(submit("a"), submit("b"), submit("c"), submit("d"));
        var held = new AtomicReference<Call>();
        var heldAnswer = new CompletableFuture<FullHttpResponse>();
        dispatcher.start(
                call -> call.request()
                                        .content()
                                        .toString(StandardCharsets.UTF_8)
                                        .equals("b")
                                && held.compareAndSet(null, call)
                        ? heldAnswer // answered when the test says
                        : CompletableFuture.completedFuture(answer(call)),
                () -> loop);
        await().atMost(Duration.ofSeconds(30)).until(() -> held.get() != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(ids.get(2)) == State.RUNNING);

        var ahead = store.get(ids.get(2)).orElseThrow();
        assertThat(state(ids.get(3)))
                .as("one request ahead per worker: the rest stay queued")
                .isEqualTo(State.QUEUED);
        // it may wait out the call before it (a deadline: the default hold of 120 s, the timeout and 15 s) and then
        // needs a lease of its own (that deadline and 15 s more)
        var deadline = Duration.ofSeconds(120).plus(REQUEST_TIMEOUT).plusSeconds(15);
        assertThat(ahead.leaseUntil())
                .isEqualTo(clock.instant().plus(deadline).plus(deadline).plusSeconds(15));

        heldAnswer.complete(answer(held.get()));
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> state(id) == State.SUCCEEDED));
        assertThat(calls).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aWorkerWhoseLastCallWasSlowLeasesNothingAhead() {
        var ids = List.of(submit("a"), submit("b"), submit("c"));
        var answers = new CopyOnWriteArrayList<CompletableFuture<FullHttpResponse>>();
        var handed = new CopyOnWriteArrayList<Call>();
        dispatcher.start(
                call -> {
                    var answered = new CompletableFuture<FullHttpResponse>();
                    handed.add(call);
                    answers.add(answered);
                    return answered;
                },
                () -> loop);
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 1);
        now.set(now.get().plusMillis(10)); // the first call is not a quick one
        answers.getFirst().complete(answer(handed.getFirst()));
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() == 2);

        // b runs after a slow call: c waits queued (it can still be cancelled) until b has answered
        assertThat(store.cancel(ids.get(2), clock.instant()).orElseThrow().state())
                .isEqualTo(State.CANCELLED);
        answers.get(1).complete(answer(handed.get(1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> state(ids.get(1)) == State.SUCCEEDED);
        assertThat(calls).containsExactly("a", "b");
    }

    @Test
    void aCallThePipelineNeverAnswersIsGivenUpAtItsDeadlineAndItsRequestRunsAgain() {
        var id = submit("a");
        dispatcher.start(
                call -> {
                    handed(call).release();
                    return new CompletableFuture<>(); // never answered
                },
                () -> loop);
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() == 1);
        assertThat(state(id)).isEqualTo(State.RUNNING);

        // the deadline: no instance, so the default hold of 120 s, the request timeout and 15 s more
        now.set(now.get().plus(Duration.ofSeconds(120)).plus(REQUEST_TIMEOUT).plusSeconds(15));
        dispatcher.nudge();

        await().atMost(Duration.ofSeconds(30)).until(() -> calls.size() == 2);
        var again = store.get(id).orElseThrow();
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.error()).startsWith("the call failed: java.util.concurrent.TimeoutException: no answer by ");
    }

    @Test
    void aBacklogLeftOnAReplacedVersionRunsWithTheRoomOfTheVersionThatRunsIt() {
        var ids = List.of(submit("a"), submit("b"), submit("c"), submit("d"), submit("e"), submit("f"));
        // echo-v1 accepted them; then echo-v2 replaced it, with two instances: the gateway runs them on echo-v2.
        var routes = new RouteTable(clock);
        routes.readyChanged(version(1), List.of(at("echo-v1-1", 9001)));
        routes.readyChanged(version(2), List.of(at("echo-v2-1", 9101), at("echo-v2-2", 9102)));
        routes.retired(version(1));
        dispatcher = new Dispatcher(
                store,
                routes,
                REQUEST_TIMEOUT,
                new Callbacks(store, clock, Duration.ofSeconds(1), new CallbackOrigins(List.of(), () -> 0)),
                clock);
        var running = new CopyOnWriteArrayList<Call>();
        dispatcher.start(
                call -> {
                    running.add(call);
                    return new CompletableFuture<>(); // still running when the test looks
                },
                () -> loop);

        await().atMost(Duration.ofSeconds(30))
                .alias("all at once, as echo-v2's room allows, not one at a time as for a version at zero")
                .until(() -> running.size() == ids.size());
    }

    private static Deployment version(int n) {
        return new Deployment(
                "echo-v" + n,
                "echo",
                n,
                "",
                Path.of("echo.jar"),
                new ServiceDescriptor(
                        "echo", "Echo", List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", ""))),
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults(),
                Retention.defaults());
    }

    private static InstanceAddress at(String id, int port) {
        return new InstanceAddress(id, new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aStoreThatFailsWhileCallsRunOnlyCostsTheLeaseAheadAndDispatchingGoesOn() {
        var ids = List.of(submit("a"), submit("b"), submit("c"), submit("d"), submit("e"));
        // Counting the queue fails while this many times are left, as PostgreSQL's does while the database is away.
        var failures = new AtomicInteger();
        var flaky = (RequestStore) Proxy.newProxyInstance(
                RequestStore.class.getClassLoader(), new Class<?>[] {RequestStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("queued") && failures.getAndDecrement() > 0) {
                        throw new StateUnavailableException("the database is away", null);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        dispatcher = new Dispatcher(
                flaky,
                new RouteTable(clock),
                REQUEST_TIMEOUT,
                new Callbacks(store, clock, Duration.ofSeconds(1), new CallbackOrigins(List.of(), () -> 0)),
                clock);
        dispatcher.start(
                call -> {
                    // b follows a quick call: its worker counts the queue to lease ahead while b runs, and it fails
                    if (call.request()
                            .content()
                            .toString(StandardCharsets.UTF_8)
                            .equals("b")) {
                        failures.set(3);
                    }
                    return CompletableFuture.completedFuture(answer(call));
                },
                () -> loop);

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> state(id) == State.SUCCEEDED));
        assertThat(failures.get()).as("the store failed all three times").isNegative();
        assertThat(calls).containsExactly("a", "b", "c", "d", "e");
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.running("echo-v1") == 0);
    }

    private String submit(String body) {
        return store.submit(
                        new NewRequest(
                                "echo-v1",
                                "echo",
                                "echo",
                                "text/plain",
                                body.getBytes(StandardCharsets.UTF_8),
                                "req-" + body,
                                null,
                                null),
                        Retention.defaults(),
                        clock.instant())
                .join()
                .request()
                .id();
    }

    private State state(String id) {
        return store.get(id).map(AsyncRequest::state).orElseThrow();
    }

    private FullHttpRequest handed(Call call) {
        calls.add(call.request().content().toString(StandardCharsets.UTF_8));
        return call.request();
    }

    private FullHttpResponse answer(Call call) {
        var request = handed(call);
        var text = "echo " + request.content().toString(StandardCharsets.UTF_8);
        request.release();
        var response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        return response;
    }
}
