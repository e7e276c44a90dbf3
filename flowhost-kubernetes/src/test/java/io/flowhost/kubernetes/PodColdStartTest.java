package io.flowhost.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.flowhost.domain.instance.ColdStart;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod's cold start in parts, from its status, the kubelet's events and the instance's own report. */
class PodColdStartTest {

    private static final Instant CREATED = Instant.parse("2026-12-05T10:00:00Z");

    private static Pod pod(String scheduled) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("iris-v1-1-abcde")
                .withCreationTimestamp(CREATED.toString())
                .endMetadata()
                .withNewStatus()
                .withConditions(new PodConditionBuilder()
                        .withType("PodScheduled")
                        .withStatus("True")
                        .withLastTransitionTime(scheduled)
                        .build())
                .endStatus()
                .build();
    }

    private static Event pulled(String message) {
        return new EventBuilder().withReason("Pulled").withMessage(message).build();
    }

    private static Map<String, Long> parts(ColdStart c) {
        var out = new LinkedHashMap<String, Long>();
        c.parts().forEach(p -> out.put(p.key(), p.took().toMillis()));
        return out;
    }

    @Test
    void everyPartIsReadFromWhereItIsSaid() {
        long jvm = CREATED.plusMillis(3_900).toEpochMilli();
        var timings = Map.of(
                "jvm", jvm,
                "main", jvm + 180,
                "jarFetched", jvm + 230,
                "listening", jvm + 400,
                "constructing", jvm + 410,
                "constructed", jvm + 700);

        var cold = PodColdStart.of(
                pod("2026-12-05T10:00:01Z"),
                List.of(pulled("Successfully pulled image \"flowhost/instance:1\" in 2.5s (2.6s including waiting)."
                        + " Image size: 94371840 bytes.")),
                timings,
                CREATED.minusMillis(20),
                Instant.ofEpochMilli(jvm + 950),
                Duration.ofMillis(4_870));

        assertThat(parts(cold))
                .containsExactly(
                        Map.entry("scheduled", 1_000L),
                        Map.entry("imagePulled", 2_500L),
                        Map.entry("containerStarted", 420L),
                        Map.entry("jvmToMain", 180L),
                        Map.entry("jarFetch", 50L),
                        Map.entry("listening", 170L),
                        Map.entry("constructor", 290L),
                        Map.entry("ready", 250L));
        assertThat(cold.total()).isEqualTo(Duration.ofMillis(4_870));
        assertThat(cold.describe()).startsWith("4870 ms = scheduled 1000 + image pulled 2500 + container started 420");
    }

    @Test
    void anImageAlreadyOnTheNodeTookNoPull() {
        assertThat(PodColdStart.pullTime(
                        List.of(pulled("Container image \"flowhost/instance:1\" already present on machine"))))
                .isZero();
        assertThat(PodColdStart.pullTime(List.of())).as("not said").isNull();
    }

    @Test
    void goDurationsAreReadAsGoPrintsThem() {
        assertThat(PodColdStart.goDuration("1.532s")).isEqualTo(Duration.ofMillis(1_532));
        assertThat(PodColdStart.goDuration("812.5ms")).isEqualTo(Duration.ofNanos(812_500_000));
        assertThat(PodColdStart.goDuration("1m2.5s")).isEqualTo(Duration.ofMillis(62_500));
        assertThat(PodColdStart.goDuration("120µs")).isEqualTo(Duration.ofNanos(120_000));
        assertThat(PodColdStart.goDuration("soon")).isNull();
    }

    @Test
    void withoutTheInstancesReportOnlyThePodsOwnPartsAreGiven() {
        var cold = PodColdStart.of(
                pod("2026-12-05T10:00:02Z"), List.of(), Map.of(), CREATED, Instant.now(), Duration.ofSeconds(5));

        assertThat(parts(cold)).containsExactly(Map.entry("scheduled", 2_000L));
    }

    @Test
    void aNodeClockBehindTheApisGivesNoNegativePart() {
        long jvm = CREATED.minusMillis(300).toEpochMilli(); // the node's clock is behind the API server's
        var cold = PodColdStart.of(
                pod("2026-12-05T10:00:00Z"),
                List.of(),
                Map.of("jvm", jvm, "main", jvm + 100),
                CREATED,
                Instant.now(),
                Duration.ofSeconds(1));

        assertThat(parts(cold)).containsEntry("containerStarted", 0L).containsEntry("jvmToMain", 100L);
    }
}
