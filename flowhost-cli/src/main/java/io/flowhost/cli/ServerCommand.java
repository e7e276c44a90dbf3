package io.flowhost.cli;

import io.flowhost.server.FlowhostServer;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flowhost server}: runs the platform until stopped. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Run the flowhost platform until stopped.",
            "The gateway and management API listen on one port; instances run as child JVMs.",
            "Deployments active when it last stopped start again. Stop it with Ctrl-C; its instances stop with it.",
            "The scaling flags set what every deployment starts from; a service's @Service attributes and a",
            "deploy's own flags come after them."
        })
final class ServerCommand implements Runnable {

    @Mixin
    ServerOptions options;

    @Mixin
    ScalingOptions scaling;

    @Override
    public void run() {
        var server = FlowhostServer.start(options.settings(ServerOptions.defaultDataDir(), scaling.settings()));
        System.out.println("flowhost server listening on " + server.listening());
        if (!server.loopbackOnly()) {
            System.out.println("WARNING: not on loopback: anyone who can reach this port can deploy code to it"
                    + " (flowhost has no tokens yet); use --host 127.0.0.1 unless an authenticating proxy is in front");
        }
        awaitShutdown(server);
    }

    /** Blocks until the JVM is asked to stop, then stops the server and its instances. */
    static void awaitShutdown(FlowhostServer server) {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "flowhost-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
