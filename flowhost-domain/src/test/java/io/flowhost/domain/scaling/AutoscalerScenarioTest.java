package io.flowhost.domain.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decisions over time, a tick a second on a manual clock, with the load a scenario describes. */
class AutoscalerScenarioTest {

    private static final ScalingSettings MAX_10 = ScalingSettings.defaults().with(Map.of("max-instances", "10"));
    /** Short windows, so that a dip empties the stable window well within the scale-down delay. */
    private static final ScalingSettings SHORT_WINDOWS =
            MAX_10.with(Map.of("stable-window", "10s", "panic-window", "2s"));

    @Test
    void steadyLoadAtTheTargetNeverChangesTheCount() {
        var driver = new Driver(ScalingSettings.defaults(), 2);
        driver.hold(8, 600);
        assertThat(driver.history())
                .allSatisfy(tick -> assertThat(tick.desired()).isEqualTo(2));
        assertThat(driver.history().getLast().decision().reason())
                .isEqualTo("stable: 8.0 avg over 60s / target 4 -> 2");
    }

    @Test
    void aRampUpAtMostDoublesEachSecondUntilTheLoadIsCovered() {
        var driver = new Driver(MAX_10, 1);
        driver.hold(4, 60);
        var ramp = Stream.generate(() -> driver.tick(40))
                .limit(8)
                .map(Decision::desired)
                .toList();
        // The 6 s average climbs (4 x 5 + 40) / 6 = 10 -> 3 wanted, 2 allowed; 16 -> 4; 22 -> 6; 28 -> 7; 34 -> 9; 40
        // -> 10.
        assertThat(ramp).containsExactly(2, 4, 6, 7, 9, 10, 10, 10);
    }

    @Test
    void aSpikePanicsHoldsItsInstancesAndCalmsDownAfterAStableWindow() {
        var driver = new Driver(MAX_10, 1);
        driver.hold(2, 120);
        driver.hold(11, 10);
        driver.hold(2, 120);
        var spike = driver.history().subList(120, driver.history().size());

        // The 6 s average reaches 2 x 4 x 1 = 8 on the 4th second: (2 x 2 + 4 x 11) / 6. With 2, then 3 instances the
        // threshold is 16, then 24, so that is also the last second it holds; panic ends a stable window (60 s) later.
        assertThat(spike.get(2).decision().panicking()).isFalse();
        assertThat(spike.get(3).decision().panicking()).isTrue();
        assertThat(spike.get(3).decision().reason())
                .startsWith("panic: 8.0 in flight over 6s on 1 ready (target 4) -> 2");
        assertThat(spike.get(62).decision().panicking()).isTrue();
        assertThat(spike.get(63).decision().panicking()).isFalse();

        var inPanic = spike.subList(3, 63).stream().map(Driver.Tick::desired).toList();
        assertThat(inPanic).isSortedAccordingTo(Integer::compare); // never down while panicking
        assertThat(inPanic.getLast()).isEqualTo(3);
        assertThat(spike.get(40).decision().reason()).contains("(no scale-down in panic: holding 3)");
        assertThat(driver.instances()).isEqualTo(1); // back to what the trickle needs
    }

    @Test
    void aDipShorterThanTheScaleDownDelayKeepsEveryInstance() {
        var driver = new Driver(SHORT_WINDOWS, 3);
        driver.hold(12, 120);
        driver.hold(0, 20);
        driver.hold(12, 60);
        assertThat(driver.history())
                .allSatisfy(tick -> assertThat(tick.desired()).isEqualTo(3));
        assertThat(driver.history().get(120 + 15).decision().reason())
                .isEqualTo("stable: 0.0 avg over 10s / target 4 -> 0 (holding 3 for scale-down-delay 30s)");
    }

    @Test
    void aLongerDipScalesDownExactlyTheDelayAfterTheLoadLastAskedForMore() {
        var driver = new Driver(SHORT_WINDOWS, 3);
        driver.hold(12, 120);
        driver.hold(0, 60);
        var dip = driver.history().subList(120, 180);
        // The 10 s average asks for 3 up to the dip's 3rd second ((12 x 7) / 10 = 8.4), for 2 from the 4th (7.2).
        assertThat(dip.get(2).decision().reason()).startsWith("stable: 8.4 avg over 10s / target 4 -> 3");
        assertThat(dip.get(3).decision().reason()).startsWith("stable: 7.2 avg over 10s / target 4 -> 2");
        assertThat(dip.get(31).desired()).isEqualTo(3);
        assertThat(dip.get(32).desired()).isEqualTo(2); // 30 s after the 3rd second
    }

    @Test
    void theLastInstanceStopsExactlyIdleTimeoutAfterTheLastCall() {
        var driver = new Driver(SHORT_WINDOWS, 1);
        driver.hold(2, 30);
        driver.hold(0, 400);
        // The call ended between the 30th and the 31st second: the idle clock starts at the later one.
        var lastActive = Driver.T0.plusSeconds(31);
        var stop = driver.history().stream()
                .filter(t -> t.desired() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(stop.at()).isEqualTo(lastActive.plus(Duration.ofMinutes(5)));
        assertThat(stop.decision().reason()).isEqualTo("idle 5m0s since last call -> 0");
        var before = driver.history().get(driver.history().indexOf(stop) - 1);
        assertThat(before.decision().reason()).endsWith("(keeping the last instance: idle 4m59s of 5m)");
    }

    @Test
    void aShortIdleTimeoutMeansWhatItSaysEvenWithALongStableWindow() {
        var driver = new Driver(MAX_10.with(Map.of("idle-timeout", "10s")), 3);
        driver.hold(12, 120);
        driver.hold(0, 30);
        // The last call ended between the 120th and 121st second; the 60 s average still says 3 instances 10 s later.
        var stop = driver.history().stream()
                .filter(t -> t.desired() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(stop.at()).isEqualTo(Driver.T0.plusSeconds(131));
        assertThat(stop.decision().reason()).isEqualTo("idle 10s since last call -> 0");
        assertThat(driver.history().get(driver.history().indexOf(stop) - 1).desired())
                .isEqualTo(3);
        assertThat(driver.instances()).isZero();
    }

    record Wave(String name, IntToDoubleFunction demandAt) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Wave> wavesAroundABoundary() {
        // At target 4, a demand of 8 is the boundary between 2 and 3 instances.
        return List.of(
                new Wave("square 7.6 / 8.4, 20 s each", t -> (t / 20) % 2 == 0 ? 8.4 : 7.6),
                new Wave("sine 8 +- 1, period 25 s", t -> 8 + Math.sin(2 * Math.PI * t / 25)),
                new Wave("sine 8 +- 3, period 50 s", t -> 8 + 3 * Math.sin(2 * Math.PI * t / 50)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wavesAroundABoundary")
    void aLoadOscillatingAroundABoundaryChangesTheCountAtMostOncePerScaleDownDelay(Wave wave) {
        var settings = ScalingSettings.defaults().with(Map.of("max-instances", "10"));
        var driver = new Driver(settings, 2);
        for (int t = 0; t < 1800; t++) {
            driver.tick(wave.demandAt().applyAsDouble(t));
        }
        var changes = driver.changes();
        for (int i = 1; i < changes.size(); i++) {
            assertThat(Duration.between(changes.get(i - 1), changes.get(i)))
                    .isGreaterThanOrEqualTo(settings.scaleDownDelay());
        }
        assertThat(changes).hasSizeLessThanOrEqualTo(1);
        // Not a vacuous pass: the load did ask for 2 again and again, and the delay held 3.
        assertThat(driver.history())
                .anySatisfy(tick -> assertThat(tick.decision().reason())
                        .contains("/ target 4 -> 2 (holding 3 for scale-down-delay 30s)"));
    }
}
