package io.flowhost.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.state.NotLeaderException;
import io.flowhost.state.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deposed leader's late writes are refused: once another gateway took the lease, the old leader can neither
 * lease requests, take them back, sweep, nor save alert states, and nothing of what it tried is written.
 */
class FencingTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(10);

    private PostgresStateStore a;
    private PostgresStateStore b;

    @BeforeEach
    void open() {
        var url = PostgresUrl.parse(TestPostgres.shared().newDatabase());
        a = PostgresStateStore.open(url);
        b = PostgresStateStore.open(url);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private void submit(String body) {
        a.requests()
                .submit(
                        new NewRequest("echo-v1", "echo", "echo", "application/json", body.getBytes(), "r", null, null),
                        Retention.defaults(),
                        T0)
                .join();
    }

    @Test
    void theLeaderWritesAndADeposedLeadersLateWritesAreRefused() {
        submit("{\"n\":1}");
        submit("{\"n\":2}");
        assertThat(a.leadership().lead("a", LEASE, T0)).isPresent();
        assertThat(a.requests().lease("echo-v1", "a-1", Duration.ofMinutes(1), T0))
                .isPresent();

        // a is paused past its lease; b takes over in term 2
        assertThat(b.leadership().lead("b", LEASE, T0.plus(LEASE)))
                .hasValueSatisfying(t -> assertThat(t.number()).isEqualTo(2));

        var late = T0.plus(LEASE).plusSeconds(1);
        assertThatThrownBy(() -> a.requests().lease("echo-v1", "a-2", Duration.ofMinutes(1), late))
                .isInstanceOf(NotLeaderException.class)
                .hasMessageContaining("term 1 of a is over: b leads in term 2");
        assertThatThrownBy(() -> a.requests().sweep(late)).isInstanceOf(NotLeaderException.class);
        assertThatThrownBy(() -> a.requests().reclaimExpiredLeases(late)).isInstanceOf(NotLeaderException.class);
        assertThatThrownBy(() -> a.alerts().save(List.of(new StoredAlert("r", "echo", "firing", 1.0, T0, T0, null))))
                .isInstanceOf(NotLeaderException.class);

        assertThat(b.requests().queued("echo-v1"))
                .as("a's refused lease took nothing")
                .isEqualTo(1);
        assertThat(b.alerts().load()).isEmpty();
        assertThat(b.requests().lease("echo-v1", "b-1", Duration.ofMinutes(1), late))
                .isPresent();
    }

    @Test
    void aGatewayThatNeverLedIsNotFenced() {
        submit("{\"n\":3}");

        assertThat(a.requests().lease("echo-v1", "a-1", Duration.ofMinutes(1), T0))
                .isPresent();
    }
}
