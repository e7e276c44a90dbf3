package io.flowhost.server;

import java.nio.file.Path;

/**
 * The settings a test server starts from: the defaults, on port 0, keeping no warm spare.
 *
 * <p>A spare costs about a second of both cores to warm up and is started again after every instance start, which
 * made up a quarter of these tests' CPU (ten classes: 294 CPU-s with a spare, 215 without) on machines where they are
 * bound by it. Tests of the path from zero ({@code ScalingTest}, {@code ObservabilityTest}) and the servers run in a
 * JVM of their own ({@link ServerProcessMain}) keep the default spare; the driver's handoff to a spare is covered by
 * {@code WarmSpareDriverContractTest}.
 */
public final class TestSettings {

    private TestSettings() {}

    /** The defaults for a server keeping its state in {@code dataDir}, on port 0, with no warm spare. */
    public static ServerSettings defaults(Path dataDir) {
        return ServerSettings.defaults(dataDir).withPort(0).withWarmSpares(0);
    }
}
