package io.flowhost.domain.instance;

import java.time.Duration;

/**
 * Where one instance's start went, from the driver's spawn to the first time it answered ready.
 *
 * @param processStart from spawning the process until it runs java (fork and exec)
 * @param jvmToMain from there to flowhost's main (the JVM starting, mapping its class-data archive)
 * @param listening from main to listening on its port (Netty, binding the service class)
 * @param constructor the service's constructor or the model load, Metaflow artifact reads included
 * @param readiness from the constructor returning to the driver seeing it ready (probe latency)
 * @param total spawn to ready
 */
public record ColdStart(
        Duration processStart,
        Duration jvmToMain,
        Duration listening,
        Duration constructor,
        Duration readiness,
        Duration total) {

    /** One line for logs: {@code 612 ms = process 45 + JVM to main 120 + listening 150 + constructor 280 + readiness 17}. */
    public String describe() {
        return total.toMillis() + " ms = process " + processStart.toMillis() + " + JVM to main " + jvmToMain.toMillis()
                + " + listening " + listening.toMillis() + " + constructor " + constructor.toMillis()
                + " + readiness " + readiness.toMillis();
    }
}
