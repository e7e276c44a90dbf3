package io.flowhost.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Where the commands that talk to a running server find it. */
final class ClientOptions {

    @Option(
            names = {"-s", "--server"},
            paramLabel = "URL",
            description = "The flowhost server (default: $FLOWHOST_SERVER, else http://127.0.0.1:8080).")
    URI server;

    ApiClient client() {
        if (server != null) {
            return new ApiClient(server);
        }
        var env = System.getenv("FLOWHOST_SERVER");
        return new ApiClient(URI.create(env != null && !env.isBlank() ? env : "http://127.0.0.1:8080"));
    }
}
