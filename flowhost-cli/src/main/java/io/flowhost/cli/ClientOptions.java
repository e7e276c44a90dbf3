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

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "The token to present, once the server has tokens (default: $FLOWHOST_TOKEN). Prefer the"
                    + " variable: a flag shows in the process list.")
    String token;

    ApiClient client() {
        var env = System.getenv("FLOWHOST_SERVER");
        var url = server != null ? server : URI.create(env != null && !env.isBlank() ? env : "http://127.0.0.1:8080");
        var presented = token != null ? token : System.getenv("FLOWHOST_TOKEN");
        return new ApiClient(url, presented == null || presented.isBlank() ? null : presented.trim());
    }
}
