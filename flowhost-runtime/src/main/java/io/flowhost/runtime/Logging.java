package io.flowhost.runtime;

/** Process-wide settings of flowhost's own processes: one-line logs, and Netty tuned for serving. */
public final class Logging {

    private Logging() {}

    /**
     * Sets the JDK logger's format, and turns off Netty's buffer-leak sampling (it records a stack
     * trace per sampled buffer: about 5 % of the gateway's CPU measured) and its Flight Recorder events,
     * unless the user chose otherwise. Tests, which do not come through here, keep the sampling on to catch leaks.
     */
    public static void configure() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            // Netty's allocator registers its JFR events on its first buffer, which sets up the Flight Recorder's
            // metadata whether or not anything records: about 60 ms of a new instance's first call, measured.
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.setProperty(
                "java.util.logging.SimpleFormatter.format",
                System.getProperty(
                        "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s: %5$s%6$s%n"));
    }
}
