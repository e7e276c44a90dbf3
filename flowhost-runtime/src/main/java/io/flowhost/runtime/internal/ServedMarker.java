package io.flowhost.runtime.internal;

import io.flowhost.runtime.InstanceMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Leaves a file the first time this instance is called at an endpoint, when its server asked for one ({@link
 * InstanceMain#SERVED_MARKER}): the server keeps the class cache an instance records only if the instance was
 * called while recording it, so that the cache holds the call path's classes and profiles, not only the start's.
 */
final class ServedMarker {

    private static final String PATH = System.getProperty(InstanceMain.SERVED_MARKER);

    /** Whether there is nothing left to do: no marker asked for, or it is written. */
    private static volatile boolean done = PATH == null;

    private ServedMarker() {}

    /** Notes a call to an endpoint: one field read once the marker is written or when none was asked for. */
    static void called() {
        if (done) {
            return;
        }
        done = true;
        // Off the event loop: the call goes on while the file is made.
        Thread.ofVirtual().name("served-marker").start(() -> {
            try {
                Files.writeString(Path.of(PATH), "called\n");
            } catch (IOException e) {
                System.getLogger("flowhost.instance")
                        .log(System.Logger.Level.WARNING, "cannot write " + PATH + " (the class cache is left): " + e);
            }
        });
    }
}
