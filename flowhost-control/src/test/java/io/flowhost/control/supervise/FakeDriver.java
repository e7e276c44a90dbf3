package io.flowhost.control.supervise;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.ColdStart;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A driver whose instances are no processes: each is ready at once, and gone once stopped. */
public final class FakeDriver implements InstanceDriver {

    /** What every jar this driver checks is found to serve. */
    public static final ServiceDescriptor SVC =
            new ServiceDescriptor("svc", "Svc", List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", "")));

    private final List<Instance> started = new CopyOnWriteArrayList<>();

    @Override
    public ServiceDescriptor describe(Path jar, String className) {
        return SVC;
    }

    @Override
    public RunningInstance start(Deployment deployment, String instanceId) {
        var instance = new Instance(instanceId);
        started.add(instance);
        return instance;
    }

    /** The instances started and not stopped. */
    public List<RunningInstance> running() {
        return started.stream()
                .filter(i -> !i.exited.isDone())
                .map(RunningInstance.class::cast)
                .toList();
    }

    @Override
    public void close() {}

    private static final class Instance implements RunningInstance {
        private final String id;
        private final Instant startedAt = Instant.now();
        private final CompletableFuture<Integer> exited = new CompletableFuture<>();

        Instance(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        public Instant startedAt() {
            return startedAt;
        }

        @Override
        public Duration coldStart() {
            return Duration.ZERO;
        }

        @Override
        public ColdStart coldStartBreakdown() {
            return null;
        }

        @Override
        public Map<String, String> pins() {
            return Map.of();
        }

        @Override
        public CompletableFuture<Integer> exited() {
            return exited;
        }

        @Override
        public void stop(Duration grace) {
            exited.complete(0);
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
