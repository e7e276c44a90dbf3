package io.flowhost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost tokens create|list|revoke}: the scoped tokens a server asks for once it has one. */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = {
            "Make, list and revoke the tokens the management API asks for. A server asks for none until the first"
                    + " is made; from then on every command needs one ($FLOWHOST_TOKEN or --token).",
            "Scopes: admin (everything), deploy (deploy, undeploy, look), read (look: status, list, logs, metrics),"
                    + " invoke:SERVICE (call that service)."
        },
        subcommands = {TokensCommand.Create.class, TokensCommand.List.class, TokensCommand.Revoke.class})
final class TokensCommand {

    /** {@code flowhost tokens create --scope deploy --name ci [--expires 30d]}. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Make a token and print it, this once: the server keeps only its hash.")
    static final class Create implements Runnable {

        @Option(
                names = "--scope",
                required = true,
                paramLabel = "SCOPE",
                description = "admin, deploy, read or invoke:SERVICE.")
        String scope;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What to call it, e.g. ci.")
        String name;

        @Option(
                names = "--expires",
                paramLabel = "DURATION",
                description = "When it stops working, from now: 30d, 12h, 90m (default: never).")
        String expires;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var body = new LinkedHashMap<String, String>();
            body.put("name", name);
            body.put("scope", scope);
            if (expires != null) {
                body.put("expires", expires);
            }
            var api = client.client();
            byte[] json;
            try {
                json = new ObjectMapper().writeValueAsBytes(body);
            } catch (IOException e) {
                throw new IllegalStateException("a map of strings is always JSON", e);
            }
            var made = api.json(api.request("/v1/tokens")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
            System.out.println(made.path("token").asText());
            System.err.println("Token '" + made.path("name").asText() + "' ("
                    + made.path("scope").asText()
                    + (made.path("expiresAt").isTextual()
                            ? ", expires " + made.path("expiresAt").asText()
                            : "")
                    + "). Copy it now: it is not shown again. Use it with: export FLOWHOST_TOKEN=<token>");
        }
    }

    /** {@code flowhost tokens list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the tokens (never the tokens themselves).")
    static final class List implements Runnable {

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var tokens = api.json(api.request("/v1/tokens").GET()).path("tokens");
            if (tokens.isEmpty()) {
                System.out.println("(no tokens: the server asks for none; 'flowhost tokens create' makes the first)");
                return;
            }
            var format = "%-24s %-20s %-26s %s%n";
            System.out.printf(format, "NAME", "SCOPE", "CREATED", "EXPIRES");
            for (var t : tokens) {
                System.out.printf(
                        format,
                        t.path("name").asText(),
                        t.path("scope").asText(),
                        t.path("createdAt").asText(),
                        t.path("expiresAt").isTextual() ? t.path("expiresAt").asText() : "never");
            }
        }
    }

    /** {@code flowhost tokens revoke NAME}. */
    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token: every gateway refuses it within a second.")
    static final class Revoke implements Runnable {

        @Parameters(paramLabel = "NAME", description = "The token's name, as 'flowhost tokens list' shows it.")
        String name;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            api.json(api.request("/v1/tokens/" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .DELETE());
            System.out.println("Revoked " + name);
        }
    }
}
