package io.flowhost.control.scaling;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.flowhost.control.supervise.FakeDriver;
import io.flowhost.control.supervise.Routes;
import io.flowhost.control.supervise.Supervisor;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalingLoopTest {

    @Test
    void aCallHeldWhileTheServerStopsWakesNothingAndFailsNothing() {
        try (var supervisor = new Supervisor(new FakeDriver(), new Routes(), id -> 0, Duration.ofSeconds(1))) {
            var loop = new ScalingLoop(
                    supervisor, id -> new ScalingLoop.Load(0, 1, null), Clock.systemUTC(), Duration.ofSeconds(1));
            loop.start();
            loop.close();

            // Traffic.hold wakes from the caller's event loop: a throw there would answer the held call with 500.
            assertThatCode(() -> loop.wake("svc-v1")).doesNotThrowAnyException();
        }
    }
}
