package io.flowhost.server.observe;

import io.flowhost.domain.instance.ColdStart;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each deployment's last {@link #KEPT} instance starts with where their time went, kept in memory for the dashboard:
 * the instances themselves come and go (scale to zero forgets them), their starts stay.
 */
public final class ColdStarts {

    /** How many starts are kept per deployment. */
    public static final int KEPT = 50;

    /** One instance's start. */
    public record Start(Instant readyAt, String instance, ColdStart took) {}

    private final Map<String, ArrayDeque<Start>> starts = new ConcurrentHashMap<>();

    /** Records a start of one of the deployment's instances. */
    public void add(String deployment, Start start) {
        var kept = starts.computeIfAbsent(deployment, d -> new ArrayDeque<>());
        synchronized (kept) {
            if (kept.size() == KEPT) {
                kept.removeFirst();
            }
            kept.addLast(start);
        }
    }

    /** The deployment's starts, oldest first. */
    public List<Start> of(String deployment) {
        var kept = starts.get(deployment);
        if (kept == null) {
            return List.of();
        }
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /** Forgets the deployments not in {@code live} (undeployed). */
    public void retain(Collection<String> live) {
        starts.keySet().retainAll(live);
    }
}
