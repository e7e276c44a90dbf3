package io.flowhost.domain.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One decision at a time: given settings, load, instances and memory, the count and the reason. */
class AutoscalerDecisionTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final ScaleState FRESH = ScaleState.initial();
    private static final ScaleState WATCHING = new ScaleState(NOW.minus(Duration.ofHours(1)), null, List.of());

    record Case(
            String name,
            Map<String, String> settings,
            Observed observed,
            Instances instances,
            ScaleState state,
            int desired,
            boolean panicking,
            String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Observed load(double stable, double panic) {
        return new Observed(stable, panic, NOW, 0);
    }

    private static Instances ready(int n) {
        return new Instances(n, 0, 0);
    }

    private static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static Stream<Case> cases() {
        var max20 = Map.of("max-instances", "20");
        var panicFor10s = new ScaleState(
                ago(Duration.ofMinutes(5)),
                new ScaleState.Panic(ago(Duration.ofSeconds(20)), ago(Duration.ofSeconds(10)), 4),
                List.of());
        return Stream.of(
                // desired from load
                new Case(
                        "load at the target keeps the count",
                        Map.of(),
                        load(8, 8),
                        ready(2),
                        WATCHING,
                        2,
                        false,
                        "stable: 8.0 avg over 60s / target 4 -> 2"),
                new Case(
                        "a little over the target asks for one more",
                        Map.of(),
                        load(8.4, 8.4),
                        ready(2),
                        WATCHING,
                        3,
                        false,
                        "stable: 8.4 avg over 60s / target 4 -> 3"),
                new Case(
                        "starting instances count as capacity on its way",
                        max20,
                        load(40, 0),
                        new Instances(1, 3, 0),
                        WATCHING,
                        8,
                        false,
                        "stable: 40.0 avg over 60s / target 4 -> 10 (scale-up limited to 8 from 4: at most 2x per decision)"),
                new Case(
                        "draining instances do not count",
                        Map.of(),
                        load(12, 4),
                        new Instances(1, 0, 3),
                        WATCHING,
                        2,
                        false,
                        "stable: 12.0 avg over 60s / target 4 -> 3 (scale-up limited to 2 from 1: at most 2x per decision)"),
                // panic
                new Case(
                        "9 in flight on 1 instance is a panic",
                        Map.of(),
                        load(2, 9),
                        ready(1),
                        WATCHING,
                        2,
                        true,
                        "panic: 9.0 in flight over 6s on 1 ready (target 4) -> 3 (scale-up limited to 2 from 1: at most 2x per decision)"),
                new Case(
                        "8 in flight on 1 instance reaches the threshold",
                        Map.of(),
                        load(2, 8),
                        ready(1),
                        WATCHING,
                        2,
                        true,
                        "panic: 8.0 in flight over 6s on 1 ready (target 4) -> 2"),
                new Case(
                        "7.9 in flight on 1 instance is no panic",
                        Map.of(),
                        load(2, 7.9),
                        ready(1),
                        WATCHING,
                        1,
                        false,
                        "stable: 2.0 avg over 60s / target 4 -> 1"),
                new Case(
                        "no scale-down in panic",
                        Map.of(),
                        load(4, 2),
                        ready(4),
                        panicFor10s,
                        4,
                        true,
                        "panic: 2.0 in flight over 6s on 4 ready (target 4) -> 1 (no scale-down in panic: holding 4)"),
                new Case(
                        "panic lasts until a whole stable window is calm",
                        Map.of(),
                        load(4, 2),
                        ready(4),
                        calmFor(Duration.ofSeconds(59)),
                        4,
                        true,
                        "panic: 2.0 in flight over 6s on 4 ready (target 4) -> 1 (no scale-down in panic: holding 4)"),
                new Case(
                        "panic ends after a whole calm stable window",
                        Map.of(),
                        load(4, 2),
                        ready(4),
                        calmFor(Duration.ofSeconds(60)),
                        2,
                        false,
                        "stable: 4.0 avg over 60s / target 4 -> 1 (scale-down limited to 2 from 4: at most half per decision)"),
                // rate limits
                new Case(
                        "up at most doubles",
                        max20,
                        load(80, 10),
                        ready(3),
                        WATCHING,
                        6,
                        false,
                        "stable: 80.0 avg over 60s / target 4 -> 20 (scale-up limited to 6 from 3: at most 2x per decision)"),
                new Case(
                        "up from zero is at least one",
                        Map.of(),
                        load(10, 0),
                        ready(0),
                        WATCHING,
                        1,
                        false,
                        "stable: 10.0 avg over 60s / target 4 -> 3 (scale-up limited to 1 from 0: at most 2x per decision)"),
                new Case(
                        "down at most halves",
                        max20,
                        load(0, 0),
                        ready(8),
                        WATCHING,
                        4,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (scale-down limited to 4 from 8: at most half per decision)"),
                new Case(
                        "halving rounds up",
                        Map.of(),
                        load(0, 0),
                        ready(3),
                        WATCHING,
                        2,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (scale-down limited to 2 from 3: at most half per decision)"),
                // scale-down delay
                new Case(
                        "a recent higher need holds instances",
                        Map.of(),
                        load(3.2, 3.2),
                        ready(2),
                        peak(2, Duration.ofSeconds(10)),
                        2,
                        false,
                        "stable: 3.2 avg over 60s / target 4 -> 1 (holding 2 for scale-down-delay 30s)"),
                new Case(
                        "a need older than the delay does not",
                        Map.of(),
                        load(3.2, 3.2),
                        ready(2),
                        peak(2, Duration.ofSeconds(30)),
                        1,
                        false,
                        "stable: 3.2 avg over 60s / target 4 -> 1"),
                new Case(
                        "the delay never scales up",
                        Map.of(),
                        load(3.2, 3.2),
                        ready(1),
                        peak(3, Duration.ofSeconds(10)),
                        1,
                        false,
                        "stable: 3.2 avg over 60s / target 4 -> 1"),
                // the last instance
                new Case(
                        "idle exactly idle-timeout goes to zero",
                        Map.of(),
                        new Observed(0, 0, ago(Duration.ofMinutes(5)), 0),
                        ready(1),
                        WATCHING,
                        0,
                        false,
                        "idle 5m0s since last call -> 0"),
                new Case(
                        "idle a millisecond less keeps the last instance",
                        Map.of(),
                        new Observed(0, 0, ago(Duration.ofMinutes(5).minusMillis(1)), 0),
                        ready(1),
                        WATCHING,
                        1,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (keeping the last instance: idle 4m59.999s of 5m)"),
                new Case(
                        "waiting calls keep the last instance however long idle",
                        Map.of(),
                        new Observed(0, 0, ago(Duration.ofHours(1)), 2),
                        ready(1),
                        WATCHING,
                        1,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (keeping the last instance: 2 calls waiting)"),
                new Case(
                        "a fresh deployment keeps its instance from the first decision",
                        Map.of(),
                        Observed.none(),
                        ready(1),
                        FRESH,
                        1,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (keeping the last instance: idle 0s of 5m)"),
                new Case(
                        "an instance that never saw a call stops after idle-timeout",
                        Map.of(),
                        Observed.none(),
                        ready(1),
                        WATCHING,
                        0,
                        false,
                        "idle 1h0m0s with no call yet -> 0"),
                new Case(
                        "a shorter idle-timeout",
                        Map.of("idle-timeout", "30s"),
                        new Observed(0, 0, ago(Duration.ofSeconds(45)), 0),
                        ready(1),
                        WATCHING,
                        0,
                        false,
                        "idle 45s since last call -> 0"),
                // bounds
                new Case(
                        "a call waiting at zero wakes one instance",
                        Map.of(),
                        new Observed(0, 0, null, 1),
                        ready(0),
                        FRESH,
                        1,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (waking for 1 waiting call)"),
                new Case(
                        "at zero with nothing waiting stays at zero",
                        Map.of(),
                        Observed.none(),
                        ready(0),
                        WATCHING,
                        0,
                        false,
                        "idle 1h0m0s with no call yet -> 0"),
                new Case(
                        "idleness overrides the averages, the rate limit and the delay",
                        Map.of("idle-timeout", "10s"),
                        new Observed(6, 0, ago(Duration.ofSeconds(10)), 0),
                        ready(3),
                        peak(3, Duration.ofSeconds(5)),
                        0,
                        false,
                        "idle 10s since last call -> 0"),
                new Case(
                        "idleness ends a panic",
                        Map.of("idle-timeout", "1s"),
                        new Observed(6, 9, ago(Duration.ofSeconds(2)), 0),
                        ready(4),
                        panicFor10s,
                        0,
                        false,
                        "idle 2s since last call -> 0"),
                new Case(
                        "max-instances caps",
                        Map.of(),
                        load(40, 10),
                        ready(4),
                        WATCHING,
                        4,
                        false,
                        "stable: 40.0 avg over 60s / target 4 -> 10 (capped at max-instances 4)"),
                new Case(
                        "min-instances raises",
                        Map.of("min-instances", "2"),
                        new Observed(0, 0, ago(Duration.ofHours(1)), 0),
                        ready(2),
                        WATCHING,
                        2,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (raised to min-instances 2)"),
                new Case(
                        "min-instances 1 never goes to zero",
                        Map.of("min-instances", "1"),
                        new Observed(0, 0, ago(Duration.ofHours(1)), 0),
                        ready(1),
                        WATCHING,
                        1,
                        false,
                        "stable: 0.0 avg over 60s / target 4 -> 0 (raised to min-instances 1)"));
    }

    /** In a panic that began 2 minutes ago, with 4 instances, whose condition last held {@code calm} ago. */
    private static ScaleState calmFor(Duration calm) {
        return new ScaleState(
                ago(Duration.ofMinutes(5)), new ScaleState.Panic(ago(Duration.ofMinutes(2)), ago(calm), 4), List.of());
    }

    /** Watching for an hour, with {@code desired} asked for by the load {@code age} ago. */
    private static ScaleState peak(int desired, Duration age) {
        return new ScaleState(ago(Duration.ofHours(1)), null, List.of(new ScaleState.Peak(ago(age), desired)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        var settings = ScalingSettings.defaults().with(c.settings());
        var decision = Autoscaler.decide(settings, c.observed(), c.instances(), c.state(), NOW);
        assertThat(decision.reason()).isEqualTo(c.reason());
        assertThat(decision.desired()).isEqualTo(c.desired());
        assertThat(decision.panicking()).isEqualTo(c.panicking());
        assertThat(decision.next().panicking()).isEqualTo(c.panicking());
    }
}
