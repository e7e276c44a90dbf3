package io.flowhost.control.deploy;

import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InvalidServiceException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the jars this gateway checked offer, by each jar's SHA-256 and the class asked for: deploying a jar again (other
 * settings, a canary of settings, a version brought back) starts no JVM to check it again. A check depends on nothing
 * but the jar's bytes, the class and this runtime, so its answer stays true for the life of the process; only answers
 * are kept, never refusals (a check may fail for a moment, as when it times out on a loaded machine).
 */
final class CheckedJars {

    /** Checks one jar (in a child JVM: the costly part this class saves). */
    @FunctionalInterface
    interface Check {
        ServiceDescriptor run() throws InvalidServiceException;
    }

    private record Key(String sha256, String className) {}

    private final Map<Key, ServiceDescriptor> checked;

    /** Keeps the answers of the last {@code capacity} jars checked or asked for. */
    CheckedJars(int capacity) {
        this.checked = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, ServiceDescriptor> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * What the jar of this SHA-256 offers with this class (null or blank: the one service it holds), from an earlier
     * check if there was one, else from {@code check}.
     */
    ServiceDescriptor describe(String sha256, String className, Check check) throws InvalidServiceException {
        var key = new Key(sha256, className == null || className.isBlank() ? "" : className);
        synchronized (checked) {
            var known = checked.get(key);
            if (known != null) {
                return known;
            }
        }
        var descriptor = check.run();
        synchronized (checked) {
            checked.put(key, descriptor);
        }
        return descriptor;
    }
}
