package io.flowhost.state.sqlite;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.state.Cluster;
import io.flowhost.state.internal.SigningKeys;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster of one server: an SQLite data dir has one server (kept so at start), so there are no other gateways'
 * demand to sum, and the jars already sit under the data dir. What is published is kept for this process.
 */
final class LocalCluster implements Cluster {

    private final Map<String, Published> published = new ConcurrentHashMap<>();
    private final Map<String, String> gateways = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final byte[] key = SigningKeys.random();

    @Override
    public void report(String gateway, String address, Map<String, Demand> demand, Instant now) {
        gateways.put(gateway, address);
    }

    @Override
    public Map<String, String> gateways(Instant since) {
        return Map.copyOf(gateways);
    }

    @Override
    public Map<String, Demand> demandOfOthers(String self, Instant since) {
        return Map.of();
    }

    @Override
    public void wake(String deploymentId) {
        listeners.forEach(l -> l.wake(deploymentId));
    }

    @Override
    public void publish(long term, String deploymentId, List<InstanceAddress> ready) {
        published.merge(deploymentId, new Published(term, ready), (old, now) -> old.term() > now.term() ? old : now);
        listeners.forEach(Listener::changed);
    }

    @Override
    public Map<String, Published> published() {
        return Map.copyOf(published);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void keepJar(String sha256, Path jar) {
        // the data dir's copy is the one every part of this one server reads
    }

    @Override
    public void dropJar(String sha256) {
        // nothing kept beyond the data dir's copy
    }

    @Override
    public boolean copyJar(String sha256, OutputStream out) {
        return false;
    }

    /** One server: a key of this process, so tokens change when it restarts (its instances start again too). */
    @Override
    public byte[] signingKey() {
        return key.clone();
    }
}
