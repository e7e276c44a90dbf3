package io.flowhost.runtime.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.sdk.predictions.Prediction;
import io.flowhost.sdk.predictions.PredictionLogger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PredictionBufferTest {

    private final ManualClock clock = new ManualClock("2026-11-26T14:05:00Z");

    /** A logger that blocks in its first {@code log} until released. */
    static final class BlockingLogger extends CollectingLogger {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void log(Prediction p) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.log(p);
        }
    }

    /** A logger whose every call fails, as one whose remote system is down would. */
    static final class FailingLogger implements PredictionLogger {
        @Override
        public void log(Prediction p) {
            throw new IllegalStateException("the log system is down");
        }

        @Override
        public void close() {
            throw new IllegalStateException("cannot close either");
        }
    }

    private Predictions start(int capacity, PredictionLogger... loggers) {
        var settings = PredictionSettings.defaults().withDeployment("scorer-v7").withBufferCapacity(capacity);
        return Predictions.start(settings, "scorer", () -> "ScoreFlow/12", List.of(loggers), clock, () -> 0.0);
    }

    private static void record(Predictions predictions, String requestId) {
        predictions.record(
                "score",
                "{\"x\":1}".getBytes(),
                "{\"y\":2}".getBytes(),
                200,
                Duration.ofMillis(3),
                requestId,
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "canary");
    }

    @Test
    void aFullBufferDropsAndCountsWithoutBlockingTheCaller() throws InterruptedException {
        var logger = new BlockingLogger();
        var predictions = start(10, logger);
        record(predictions, "first");
        assertThat(logger.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the drain thread holds "first"

        for (int i = 0; i < 15; i++) {
            record(predictions, "r" + i); // 10 fit, 5 do not; none of these calls waits
        }

        assertThat(predictions.dropped()).isEqualTo(5);
        logger.release.countDown();
        predictions.close();
        assertThat(predictions.logged()).isEqualTo(11);
        assertThat(logger.predictions)
                .extracting(Prediction::requestId)
                .containsExactly("first", "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        assertThat(logger.predictions).extracting(Prediction::variant).containsOnly("canary");
    }

    @Test
    void aThrowingLoggerIsCountedAndTheOtherLoggersStillGetEveryPrediction() {
        var healthy = new CollectingLogger();
        var predictions = start(100, new FailingLogger(), healthy);

        for (int i = 0; i < 3; i++) {
            record(predictions, "r" + i); // the caller sees nothing of the failures
        }
        predictions.close();

        assertThat(healthy.predictions).hasSize(3);
        assertThat(predictions.failed()).isEqualTo(3 + 1); // three logs and the close
        assertThat(predictions.logged()).isZero(); // not every logger took them
        assertThat(healthy.closes).hasValue(1);
    }

    @Test
    void closingWritesThePredictionsWaitingAndClosesTheLoggersOnce() {
        var logger = new CollectingLogger();
        var predictions = start(100, logger);
        for (int i = 0; i < 50; i++) {
            record(predictions, "r" + i);
        }

        predictions.close();
        predictions.close();

        assertThat(logger.predictions).hasSize(50);
        assertThat(logger.closes).hasValue(1);
    }

    @Test
    void loggersAreFlushedWhenNoPredictionIsWaiting() {
        var logger = new CollectingLogger();
        var predictions = start(100, logger);

        record(predictions, "alone");

        await().atMost(Duration.ofSeconds(10)).until(() -> logger.flushes.get() >= 1);
        assertThat(logger.predictions).hasSize(1);
        predictions.close();
    }

    @Test
    void aPredictionCarriesTheDeploymentServiceRunTimeAndTheCallsParts() {
        var logger = new CollectingLogger();
        var predictions = start(100, logger);

        record(predictions, "abc123");
        predictions.close();

        var p = logger.predictions.getFirst();
        assertThat(p.deployment()).isEqualTo("scorer-v7");
        assertThat(p.service()).isEqualTo("scorer");
        assertThat(p.endpoint()).isEqualTo("score");
        assertThat(p.metaflowRun()).isEqualTo("ScoreFlow/12");
        assertThat(p.time()).isEqualTo(clock.instant());
        assertThat(p.latency()).isEqualTo(Duration.ofMillis(3));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.requestId()).isEqualTo("abc123");
        assertThat(p.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(new String(p.request())).isEqualTo("{\"x\":1}");
        assertThat(new String(p.response())).isEqualTo("{\"y\":2}");
    }

    @Test
    void closingGivesUpOnALoggerThatNeverReturns() {
        var logger = new BlockingLogger();
        var predictions = start(1, logger);
        record(predictions, "stuck");
        record(predictions, "waiting");

        long started = System.nanoTime();
        predictions.close(Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        logger.release.countDown();
    }
}
