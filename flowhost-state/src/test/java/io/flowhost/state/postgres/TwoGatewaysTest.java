package io.flowhost.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' stores on one PostgreSQL database see each other's work: a request finished through one wakes a
 * long poll waiting on the other, also after the other's listening connection was cut.
 */
class TwoGatewaysTest {

    private static final Duration WAKE_WITHIN = Duration.ofSeconds(30);

    private PostgresUrl url;
    private PostgresStateStore a;
    private PostgresStateStore b;

    @BeforeEach
    void open() {
        url = PostgresUrl.parse(TestPostgres.shared().newDatabase());
        a = PostgresStateStore.open(url);
        b = PostgresStateStore.open(url);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private String submitAndFinishThrough(PostgresStateStore gateway, String body) {
        var now = Instant.now();
        var request = gateway.requests()
                .submit(
                        new NewRequest(
                                "echo-v1",
                                "echo",
                                "echo",
                                "application/json",
                                body.getBytes(StandardCharsets.UTF_8),
                                "req",
                                null,
                                null),
                        Retention.defaults(),
                        now)
                .join()
                .request();
        return request.id();
    }

    private void finish(PostgresStateStore gateway, String id) {
        var now = Instant.now();
        var leased = gateway.requests()
                .lease("echo-v1", "a-1", Duration.ofMinutes(1), now)
                .orElseThrow();
        assertThat(leased.id()).isEqualTo(id);
        assertThat(gateway.requests()
                        .complete(id, "a-1", new Result(200, "application/json", "{\"ok\":1}".getBytes()), now))
                .isTrue();
    }

    @Test
    void aRequestFinishedThroughOneGatewayWakesALongPollOnTheOther() throws Exception {
        var id = submitAndFinishThrough(a, "{\"n\":1}");
        var waiting = b.requests().whenFinished(id);
        assertThat(waiting).isNotDone();

        finish(a, id);

        var finished = waiting.get(WAKE_WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(finished.state()).isEqualTo(State.SUCCEEDED);
        assertThat(new String(finished.result().body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":1}");
    }

    @Test
    void aLongPollIsWokenEvenWhenItsGatewayMissedTheNotification() throws Exception {
        var id = submitAndFinishThrough(a, "{\"n\":2}");
        var waiting = b.requests().whenFinished(id);
        cutListeningConnections();

        finish(a, id); // its notification goes nowhere on b: b is reconnecting, or reads it again after

        assertThat(waiting.get(WAKE_WITHIN.toSeconds(), TimeUnit.SECONDS).state())
                .isEqualTo(State.SUCCEEDED);
    }

    @Test
    void aSubmitThroughOneIsQueuedForTheOtherToLease() {
        var id = submitAndFinishThrough(a, "{\"n\":3}");

        assertThat(b.requests().queued("echo-v1")).isEqualTo(1);
        assertThat(b.requests().deploymentsWithQueued()).containsExactly("echo-v1");
        var leased = b.requests().lease("echo-v1", "b-1", Duration.ofMinutes(1), Instant.now());
        assertThat(leased).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(id));
        assertThat(a.requests().lease("echo-v1", "a-1", Duration.ofMinutes(1), Instant.now()))
                .isEmpty();
    }

    /**
     * Ends every session that LISTENs, as a failover or a network cut would, once both gateways listen: each starts
     * its listener on a thread of its own, which may not have said LISTEN yet when the store is open.
     */
    private void cutListeningConnections() throws SQLException {
        await().atMost(WAKE_WITHIN).until(() -> listening("count(*)") == 2);
        assertThat(listening("count(*) FILTER (WHERE pg_terminate_backend(pid))"))
                .as("listening sessions cut (one per gateway)")
                .isEqualTo(2);
    }

    /** The aggregate over the sessions of this database whose last statement was a LISTEN. */
    private int listening(String aggregate) throws SQLException {
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.createStatement();
                var rs = st.executeQuery("SELECT " + aggregate + " FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
