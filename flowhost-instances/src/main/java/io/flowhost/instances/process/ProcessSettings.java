package io.flowhost.instances.process;

import io.flowhost.metaflow.Datastore.DatastoreOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What the process driver needs to know of the server it runs under.
 *
 * @param dataDir where instances keep their logs, port files, class-data archives and predictions
 * @param instanceJvmOptions extra JVM options for every instance
 * @param maxBody the largest request body an instance accepts, in bytes
 * @param metaflow the Metaflow datastore instances read artifacts from, or null
 * @param bindHost the address instances listen on: loopback, unless gateways on other hosts must reach them
 * @param reachableHost how gateways reach an instance: {@code bindHost}, or this host's name when that is a wildcard
 * @param warmSpares how many instance JVMs to keep started and warm, ready to become an instance of any deployment
 *     (0: every instance starts a JVM of its own)
 */
public record ProcessSettings(
        Path dataDir,
        List<String> instanceJvmOptions,
        int maxBody,
        DatastoreOptions metaflow,
        String bindHost,
        String reachableHost,
        int warmSpares) {

    /** Instances on loopback only: the gateways that call them run on this host. */
    public static final String LOOPBACK = "127.0.0.1";

    public ProcessSettings {
        instanceJvmOptions = List.copyOf(instanceJvmOptions);
        if (warmSpares < 0) {
            throw new IllegalArgumentException("warm-spares: " + warmSpares + " (expected: 0 or more)");
        }
    }

    /** Settings for instances that only gateways on this host call, each started in a JVM of its own. */
    public ProcessSettings(Path dataDir, List<String> instanceJvmOptions, int maxBody, DatastoreOptions metaflow) {
        this(dataDir, instanceJvmOptions, maxBody, metaflow, LOOPBACK, LOOPBACK, 0);
    }
}
