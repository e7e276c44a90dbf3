package io.flowhost.domain.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of each state change, without a database: a table per rule. */
class TransitionsTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456Z");
    private static final NewRequest CALL =
            new NewRequest("echo-v1", "echo", "echo", null, new byte[0], "r", null, null);

    record Answer(int status, State state, String error) {}

    static Stream<Answer> answers() {
        return Stream.of(
                new Answer(200, State.SUCCEEDED, null),
                new Answer(204, State.SUCCEEDED, null),
                new Answer(299, State.SUCCEEDED, null),
                new Answer(302, State.FAILED, "the endpoint answered 302"),
                new Answer(400, State.FAILED, "the endpoint answered 400"),
                new Answer(422, State.FAILED, "the endpoint answered 422"),
                new Answer(500, State.FAILED, "the endpoint answered 500"));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void anAnswerIsASuccessOnlyWhen2xxAndFinalEitherWay(Answer answer) {
        var running = Transitions.leased(accepted(3), "w", Duration.ofMinutes(1), T0);

        var done = Transitions.answered(running, new Result(answer.status(), null, new byte[0]), T0.plusSeconds(1));

        assertThat(done.state()).isEqualTo(answer.state());
        assertThat(done.state().isFinal()).isTrue();
        assertThat(done.error()).isEqualTo(answer.error());
    }

    record Lost(int attempts, int maxAttempts, State state) {}

    static Stream<Lost> lostAttempts() {
        return Stream.of(
                new Lost(1, 3, State.QUEUED),
                new Lost(2, 3, State.QUEUED),
                new Lost(3, 3, State.FAILED),
                new Lost(1, 1, State.FAILED));
    }

    @ParameterizedTest
    @MethodSource("lostAttempts")
    void aLostAttemptRequeuesWhileAttemptsRemain(Lost lost) {
        var r = accepted(lost.maxAttempts());
        for (int i = 0; i < lost.attempts(); i++) {
            r = Transitions.leased(r, "w", Duration.ofMinutes(1), T0);
        }

        var after = Transitions.attemptLost(r, "crash", T0);

        assertThat(after.state()).isEqualTo(lost.state());
        assertThat(after.attempts()).isEqualTo(lost.attempts());
        assertThat(after.leaseHolder()).isNull();
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        assertThat(accepted(3).acceptedAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00.123Z"));
    }

    @Test
    void aQueuedRequestPastItsQueueTtlReadsAsExpired() {
        var r = accepted(3);

        assertThat(r.stateAt(T0.plus(Duration.ofHours(6)).minusMillis(1))).isEqualTo(State.QUEUED);
        assertThat(r.stateAt(T0.plus(Duration.ofHours(6)))).isEqualTo(State.EXPIRED);
    }

    private static AsyncRequest accepted(int maxAttempts) {
        return Transitions.accepted(
                "id", CALL, new Retention(Duration.ofHours(24), Duration.ofHours(6), 10, maxAttempts), T0);
    }
}
