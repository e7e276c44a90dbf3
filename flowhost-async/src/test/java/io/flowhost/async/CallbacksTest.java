package io.flowhost.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.state.RequestStore;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.sqlite.SqliteRequestStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owed callbacks sent again, against a real store and a real receiver: each once, and none settled twice. */
class CallbacksTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    private SqliteRequestStore store;
    private HttpServer receiver;
    private Callbacks callbacks;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws IOException {
        store = SqliteRequestStore.open(dir.resolve("requests.db"));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/done", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        callbacks =
                new Callbacks(store, () -> NOW, Duration.ofMillis(10), new CallbackOrigins(List.of(origin()), () -> 0));
    }

    @AfterEach
    void close() {
        callbacks.close();
        receiver.stop(0);
        store.close();
    }

    @Test
    void aCancelledRequestsOwedCallbackIsSentOnceAndThenSettled() {
        var request = store.submit(call(origin() + "/done"), Retention.defaults(), NOW)
                .join()
                .request();
        store.cancel(request.id(), NOW);
        store.submit(call(null), Retention.defaults(), NOW).join(); // no callback: owes nothing

        assertThat(callbacks.resendOwed(NOW.plusMillis(1))).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.callbacksOwed(NOW.plusMillis(1), 10).isEmpty());
        assertThat(received)
                .singleElement()
                .asString()
                .contains("\"id\":\"" + request.id() + "\"")
                .contains("\"state\":\"cancelled\"");
        assertThat(callbacks.resendOwed(NOW.plusMillis(1))).as("settled").isZero();
    }

    @Test
    void aCallbackOnItsWayIsNotStartedTwice() {
        var request = store.submit(call(origin() + "/done"), Retention.defaults(), NOW)
                .join()
                .request();
        var cancelled = store.cancel(request.id(), NOW).orElseThrow();
        receiver.stop(0); // the first try fails, and the sender waits a minute to try again
        try (var patient = new Callbacks(
                store, () -> NOW, Duration.ofMinutes(1), new CallbackOrigins(List.of(origin()), () -> 0))) {
            patient.finished(cancelled);

            assertThat(patient.resendOwed(NOW.plusMillis(1)))
                    .as("on its way from here")
                    .isZero();
            assertThat(store.callbacksOwed(NOW.plusMillis(1), 10))
                    .as("not settled")
                    .hasSize(1);
        }
    }

    @Test
    void aCallbackWhoseSettlingWriteFailedIsMarkedAtTheNextLookNotSentAgain() {
        var request = store.submit(call(origin() + "/done"), Retention.defaults(), NOW)
                .join()
                .request();
        store.cancel(request.id(), NOW);
        var settles = new AtomicInteger();
        // The real store, but its first settling write fails, as one to a database gone for a moment would.
        var flaky = (RequestStore) Proxy.newProxyInstance(
                RequestStore.class.getClassLoader(), new Class<?>[] {RequestStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("callbackSettled") && settles.incrementAndGet() == 1) {
                        throw new RequestStoreException("the database is gone for a moment");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (var sender = new Callbacks(
                flaky, () -> NOW, Duration.ofMillis(10), new CallbackOrigins(List.of(origin()), () -> 0))) {
            assertThat(sender.resendOwed(NOW.plusMillis(1))).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> settles.get() == 1);
            assertThat(received).hasSize(1);
            assertThat(store.callbacksOwed(NOW.plusMillis(1), 10))
                    .as("still owed in the store")
                    .hasSize(1);

            // Looks for owed callbacks, as the sweep does, until it is marked (its sender may still be finishing).
            var resent = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                resent.addAndGet(sender.resendOwed(NOW.plusMillis(1)));
                return store.callbacksOwed(NOW.plusMillis(1), 10).isEmpty();
            });
            assertThat(resent).as("not sent again").hasValue(0);
            assertThat(received).hasSize(1);
        }
    }

    private String origin() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static NewRequest call(String callbackUrl) {
        return new NewRequest(
                "echo-v1",
                "echo",
                "echo",
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8),
                "req-1",
                null,
                callbackUrl,
                null);
    }
}
