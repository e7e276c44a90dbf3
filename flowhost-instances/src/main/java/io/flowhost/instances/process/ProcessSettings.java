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
 */
public record ProcessSettings(Path dataDir, List<String> instanceJvmOptions, int maxBody, DatastoreOptions metaflow) {

    public ProcessSettings {
        instanceJvmOptions = List.copyOf(instanceJvmOptions);
    }
}
