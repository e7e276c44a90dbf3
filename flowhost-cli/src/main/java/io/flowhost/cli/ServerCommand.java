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
            "deploy's own flags come after them.",
            "With --oidc-issuer and --oidc-jwks it accepts the JWTs of your identity provider too (single sign-on),",
            "their flowhost scopes in a claim, e.g. \"scope\": \"openid deploy invoke:iris\"."
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
        System.out.println("Dashboard: " + server.uri() + "/ui");
        if (!server.loopbackOnly() && options.insecure && options.oidc.issuer == null) {
            System.out.println("WARNING: --insecure, not on loopback: until the first token is made ('flowhost tokens"
                    + " create --scope admin --name root'), anyone who can reach this port can deploy code to it");
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
