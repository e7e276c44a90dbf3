package io.flowhost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.service.BreakingChangeException;
import io.flowhost.server.FlowhostServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost serve <jar>}: a server with one service, in one step, for local use. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve one service jar in one step, for local use.",
            "Starts a server, deploys the jar, and prints its URL and a curl line to try.",
            "Without --data-dir the server keeps its files in a fresh temporary directory."
        })
final class ServeCommand implements Runnable {

    @Parameters(paramLabel = "JAR", description = "The service jar.")
    Path jar;

    @Option(names = "--class", paramLabel = "NAME", description = "The @Service class, when the jar has several.")
    String className;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting handed to the service (repeatable).")
    List<String> settings = List.of();

    @Mixin
    ServerOptions options;

    @Mixin
    ScalingOptions scaling;

    @Override
    public void run() {
        var service = DeployCommand.readable(jar);
        var serviceSettings = new LinkedHashMap<String, String>();
        for (var setting : settings) {
            int eq = setting.indexOf('=');
            if (eq < 1) {
                throw new CliException("--set " + setting + ": expected KEY=VALUE", 2);
            }
            serviceSettings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        var server = FlowhostServer.start(options.settings(temporaryDataDir(), scaling.settings()));
        try {
            System.out.println("Starting " + jar.getFileName() + " ...");
            var deployment = server.deploy(service, className, serviceSettings, scaling.values());
            var base = server.uri().toString();
            System.out.println();
            System.out.println("Serving " + deployment.service() + " (" + deployment.id() + ") at " + base
                    + "/v1/services/" + deployment.service());
            for (var endpoint : deployment.descriptor().endpoints()) {
                var url = base + "/v1/services/" + deployment.service() + "/" + endpoint.name();
                if (endpoint.method().equals("GET")) {
                    System.out.println("  curl " + url);
                } else {
                    var example = endpoint.example().isBlank() ? "{}" : compact(endpoint.example());
                    System.out.println("  curl -H 'Content-Type: application/json' -d '" + example + "' " + url);
                }
            }
            System.out.println();
            System.out.println("Dashboard: " + base + "/ui (its docs page: " + base + "/v1/services/"
                    + deployment.service() + "/docs)");
            System.out.println("Press Ctrl-C to stop.");
        } catch (DeploymentFailedException | BreakingChangeException e) { // a fresh data dir: nothing to break, in fact
            server.close();
            throw new CliException("cannot serve " + jar + ": " + e.getMessage());
        } catch (InvalidSettingsException e) {
            server.close();
            throw new CliException("invalid setting: " + e.getMessage(), 2);
        }
        ServerCommand.awaitShutdown(server);
    }

    private static Path temporaryDataDir() {
        try {
            var dir = Files.createTempDirectory("flowhost-serve-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data dir", e);
        }
    }

    private static String compact(String json) {
        try {
            return new ObjectMapper().readTree(json).toString();
        } catch (IOException e) {
            return json;
        }
    }
}
