package io.flowhost.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.state.internal.Waiters;
import io.flowhost.state.sqlite.SqliteRequestStore;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problems;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requests API against a real SQLite store: what a long poll leaves behind, and the waits it refuses. */
class RequestsApiTest {

    @TempDir
    Path dir;

    private final InstantSource clock = InstantSource.system();
    private SqliteRequestStore store;
    private RequestsApi api;

    @BeforeEach
    void open() {
        store = SqliteRequestStore.open(dir.resolve("requests.db"));
        api = new RequestsApi(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aLongPollThatTimesOutStopsWaitingForTheRequest() throws ReflectiveOperationException {
        var id = queued();

        for (int i = 0; i < 3; i++) {
            var response = api.handle(HttpMethod.GET, "/v1/requests/" + id, Map.of("wait", List.of("10ms")), "req-1");
            try {
                assertThat(response.status().code()).isEqualTo(200);
                assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"state\":\"queued\"");
            } finally {
                response.release();
            }
        }

        // else each poll's wait stays registered until the request finishes, hours later for a long queue
        assertThat(waiters()).isZero();
    }

    @Test
    void aWaitTooLongToReadIsACallersMistakeSayingTheLimit() {
        var id = queued();

        var thrown = catchThrowable(() -> api.handle(
                HttpMethod.GET, "/v1/requests/" + id, Map.of("wait", List.of("9999999999999999h")), "req-1"));

        // as the management API answers it
        var response = Responses.problem(Problems.of(thrown, "req-1"));
        try {
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/problem+json");
            assertThat(response.content().toString(StandardCharsets.UTF_8))
                    .contains("wait: '9999999999999999h' is too long a duration", "at most 60s");
        } finally {
            response.release();
        }
    }

    private String queued() {
        return store.submit(
                        new NewRequest(
                                "echo-v1",
                                "echo",
                                "echo",
                                "text/plain",
                                "a".getBytes(StandardCharsets.UTF_8),
                                "req-a",
                                null,
                                null),
                        Retention.defaults(),
                        clock.instant())
                .join()
                .request()
                .id();
    }

    /** How many requests the store's long polls wait for (as WaitersTest reads it: the store keeps it private). */
    private int waiters() throws ReflectiveOperationException {
        var field = SqliteRequestStore.class.getDeclaredField("waiters");
        field.setAccessible(true);
        return ((Waiters) field.get(store)).size();
    }
}
