package io.flowhost.server.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Whether the process may open enough files for its connection cap: a cap above the open-file limit would let
 * idle sockets use up the descriptors before the cap refuses anyone, and then accepts fail for real callers.
 */
final class DescriptorBudget {

    /** Descriptors kept for what is not a caller's connection: instances, their pools, logs, the state store. */
    static final int HEADROOM = 256;

    private DescriptorBudget() {}

    /** What to warn of when the open-file limit is too low for the cap, or nothing (also when it is unknown). */
    static Optional<String> shortfall(long maxFiles, int maxConnections) {
        if (maxFiles < 0 || maxFiles >= (long) maxConnections + HEADROOM) {
            return Optional.empty();
        }
        return Optional.of("the open-file limit (" + maxFiles + ") is too low for --max-connections " + maxConnections
                + " and " + HEADROOM + " more for instances and logs: callers may be refused with no answer when"
                + " it runs out; raise it (ulimit -n " + (maxConnections + HEADROOM) + ") or lower --max-connections"
                + " to " + Math.max(1, maxFiles - HEADROOM));
    }

    /** This process's open-file limit, or -1 where the platform does not say. */
    static long maxFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : -1;
    }
}
