package io.flowhost.cli;

import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
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

    @Option(
            names = "--ca-cert",
            paramLabel = "FILE",
            description = "For an https:// server: trust only the CA certificates in this PEM file (a private CA,"
                    + " or a self-signed server's own certificate), as curl's --cacert (default: $FLOWHOST_CA_CERT,"
                    + " else the JDK's trusted CAs).")
    Path caCert;

    ApiClient client() {
        var env = System.getenv("FLOWHOST_SERVER");
        var url = server != null ? server : URI.create(env != null && !env.isBlank() ? env : "http://127.0.0.1:8080");
        var presented = token != null ? token : System.getenv("FLOWHOST_TOKEN");
        return new ApiClient(url, presented == null || presented.isBlank() ? null : presented.trim(), trust());
    }

    /** The SSL context of {@code --ca-cert} (else {@code FLOWHOST_CA_CERT}), or null for the JDK's. */
    private SSLContext trust() {
        if (caCert != null) {
            return TrustedCas.from(caCert, "--ca-cert");
        }
        var env = System.getenv("FLOWHOST_CA_CERT");
        return env == null || env.isBlank() ? null : TrustedCas.from(Path.of(env), "FLOWHOST_CA_CERT");
    }
}
