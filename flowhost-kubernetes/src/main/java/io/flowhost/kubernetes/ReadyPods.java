package io.flowhost.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.flowhost.domain.instance.InstanceAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Which of the driver's pods take calls: ready, not being deleted, and started by the leader of the term asked. */
final class ReadyPods {

    private ReadyPods() {}

    /** The routable pods among {@code pods} of the leader of {@code term}, by deployment id, in instance id order. */
    static Map<String, List<InstanceAddress>> of(Collection<Pod> pods, long term, int port) {
        var sets = new HashMap<String, List<InstanceAddress>>();
        var wanted = Long.toString(term);
        for (var pod : pods) {
            var labels = pod.getMetadata().getLabels();
            if (labels == null
                    || !wanted.equals(labels.get(KubernetesSettings.TERM))
                    || labels.get(KubernetesSettings.DEPLOYMENT) == null
                    || labels.get(KubernetesSettings.INSTANCE) == null
                    // Being deleted: draining, so no gateway sends it new calls while its preStop runs.
                    || pod.getMetadata().getDeletionTimestamp() != null
                    || !isReady(pod)) {
                continue;
            }
            sets.computeIfAbsent(labels.get(KubernetesSettings.DEPLOYMENT), id -> new ArrayList<>())
                    .add(new InstanceAddress(
                            labels.get(KubernetesSettings.INSTANCE),
                            new InetSocketAddress(pod.getStatus().getPodIP(), port)));
        }
        sets.values().forEach(list -> list.sort(Comparator.comparing(InstanceAddress::id)));
        return sets;
    }

    /** Whether the pod has an IP and its Ready condition is true (its readiness probe passes). */
    static boolean isReady(Pod pod) {
        var status = pod.getStatus();
        if (status == null || status.getPodIP() == null || status.getConditions() == null) {
            return false;
        }
        return status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
