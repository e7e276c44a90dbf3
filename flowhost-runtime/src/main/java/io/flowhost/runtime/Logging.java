package io.flowhost.runtime;

/** One-line log records on standard error, the same format in the server and its instances. */
public final class Logging {

    private Logging() {
    }

    /** Sets the JDK logger's format unless the user chose one. */
    public static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                System.getProperty("java.util.logging.SimpleFormatter.format",
                        "%1$tFT%1$tT.%1$tLZ %4$-7s %3$s: %5$s%6$s%n"));
    }
}
