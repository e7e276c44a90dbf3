package io.flowhost.instances;

import io.flowhost.domain.instance.InstanceAddress;
import java.util.List;
import java.util.Map;

/**
 * The ready instances of every deployment as a platform reports them to any gateway (Kubernetes, by watching pods),
 * so that a follower routes by what it sees itself rather than by what the leader last wrote down.
 */
public interface InstanceDiscovery {

    /** The ready instances started by the leader of {@code term}, by deployment id, each list in instance id order. */
    Map<String, List<InstanceAddress>> ready(long term);

    /** Calls {@code listener} (on a thread of the discovery's own, which it must not hold) when any instance changes. */
    void onChange(Runnable listener);
}
