package io.flowhost.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.flowhost.domain.instance.ColdStart;
import io.flowhost.domain.instance.ColdStart.Part;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pod's cold start in parts, from what the API says of the pod (when it was created and scheduled), what the
 * kubelet's events say of its image pull, and when its instance says each step of its own start happened. The API's
 * times are whole seconds, so "scheduled" is to the second, and the container's start is what remains from the
 * driver asking for the pod to the JVM starting; the instance's own parts are to the millisecond.
 */
final class PodColdStart {

    /** The kubelet's event: {@code Successfully pulled image "x" in 1.532s (1.532s including waiting)...}. */
    private static final Pattern PULLED = Pattern.compile(" in ([0-9.hmsuµ]+) ");

    private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9.]+)(h|ms|m|s|us|µs)");

    private PodColdStart() {}

    /**
     * @param pod the pod as the informer saw it ready
     * @param events the events about the pod
     * @param timings the instance's start steps, epoch milliseconds, as its {@code /readyz} reports them
     * @param createdAt when the driver asked for the pod
     * @param readyAt when the driver saw the pod ready
     * @param total from the driver creating the pod to seeing it ready
     */
    static ColdStart of(
            Pod pod,
            Collection<Event> events,
            Map<String, Long> timings,
            Instant createdAt,
            Instant readyAt,
            Duration total) {
        var parts = new ArrayList<Part>();
        var created = instant(pod.getMetadata().getCreationTimestamp());
        var scheduled = scheduledAt(pod);
        if (created != null && scheduled != null) {
            parts.add(new Part("scheduled", "scheduled", Duration.between(created, scheduled)));
        }
        var pulled = pullTime(events);
        if (pulled != null) {
            parts.add(new Part("imagePulled", "image pulled", pulled));
        }
        Long jvm = timings.get("jvm");
        if (jvm != null) {
            // From the driver's own clock (to the millisecond), less the parts before: the API's are whole seconds.
            var started = Duration.between(createdAt, Instant.ofEpochMilli(jvm));
            for (var before : parts) {
                started = started.minus(before.took());
            }
            parts.add(new Part("containerStarted", "container started", started));
        }
        Long main = timings.get("main");
        if (jvm != null && main != null) {
            parts.add(new Part("jvmToMain", "JVM to main", Duration.ofMillis(main - jvm)));
        }
        Long fetched = timings.get("jarFetched");
        if (fetched != null && main != null) {
            parts.add(new Part("jarFetch", "jar fetch", Duration.ofMillis(fetched - main)));
        }
        Long listening = timings.get("listening");
        Long since = fetched != null ? fetched : main;
        if (listening != null && since != null) {
            parts.add(new Part("listening", "listening", Duration.ofMillis(listening - since)));
        }
        Long constructing = timings.get("constructing");
        Long constructed = timings.get("constructed");
        if (constructing != null && constructed != null) {
            parts.add(new Part("constructor", "constructor", Duration.ofMillis(constructed - constructing)));
            parts.add(new Part("ready", "ready", Duration.between(Instant.ofEpochMilli(constructed), readyAt)));
        }
        return new ColdStart(parts, total);
    }

    /** How long the kubelet took to pull the pod's image: zero when it was on the node already, null if unsaid. */
    static Duration pullTime(Collection<Event> events) {
        for (var event : events) {
            if (!"Pulled".equals(event.getReason()) || event.getMessage() == null) {
                continue;
            }
            if (event.getMessage().contains("already present")) {
                return Duration.ZERO;
            }
            var m = PULLED.matcher(event.getMessage());
            if (m.find()) {
                return goDuration(m.group(1));
            }
        }
        return null;
    }

    /** Go's {@code time.Duration} as it prints: {@code 1.532s}, {@code 812.4ms}, {@code 1m2.5s}; null if not one. */
    static Duration goDuration(String text) {
        var m = GO_DURATION_PART.matcher(text);
        var nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            var unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                default -> 1_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            end = m.end();
        }
        return end == text.length() && end > 0 ? Duration.ofNanos(nanos.longValue()) : null;
    }

    private static Instant scheduledAt(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> instant(c.getLastTransitionTime()))
                .findFirst()
                .orElse(null);
    }

    private static Instant instant(String rfc3339) {
        return rfc3339 == null ? null : Instant.parse(rfc3339);
    }
}
