package io.flowhost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.domain.access.TokenSpec;
import io.flowhost.state.TokenNameTakenException;
import io.flowhost.state.postgres.PostgresStateStore;
import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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

    /** {@code flowhost tokens create --scope deploy --name ci [--expires 30d] [--rate 100/s [--burst 200]]}. */
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

        @Option(
                names = "--rate",
                paramLabel = "RATE",
                description = "Its quota, per gateway: 100/s, 600/min, 1000/h; past it, 429 with Retry-After"
                        + " (default: none).")
        String rate;

        @Option(
                names = "--burst",
                paramLabel = "N",
                description = "How many calls may come at once within --rate (default: one second's worth).")
        String burst;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Make it in this data dir directly, no server needed: the first token of a server that"
                        + " is to listen beyond loopback (which refuses to start without one).")
        Path dataDir;

        @Option(
                names = "--state",
                paramLabel = "URL",
                description = "Make it in this PostgreSQL state directly, as --data-dir does for SQLite: the first"
                        + " token of gateways that share a database.")
        String state;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            if (dataDir != null || state != null) {
                makeHere();
                return;
            }
            var body = new LinkedHashMap<String, String>();
            body.put("name", name);
            body.put("scope", scope);
            if (expires != null) {
                body.put("expires", expires);
            }
            if (rate != null) {
                body.put("rate", rate);
            }
            if (burst != null) {
                body.put("burst", burst);
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
            shown(
                    made.path("token").asText(),
                    made.path("name").asText(),
                    made.path("scope").asText(),
                    made.path("expiresAt").isTextual() ? made.path("expiresAt").asText() : null,
                    made.path("rate").isTextual() ? made.path("rate").asText() : null);
        }

        /** Makes the token in the state store itself, as the server would. */
        private void makeHere() {
            if (dataDir != null && state != null) {
                throw new CliException(
                        "--data-dir or --state, not both: the token goes where the server keeps its state", 2);
            }
            TokenSecrets.Issued issued;
            try {
                issued = new TokenSpec(name, scope, expires, rate, burst).issue(Instant.now());
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
            try {
                if (state != null) {
                    if (!PostgresUrl.isPostgres(state)) {
                        throw new CliException(
                                "--state: expected a PostgreSQL URL such as"
                                        + " postgresql://db.internal:5432/flowhost?user=flowhost",
                                2);
                    }
                    try (var store = PostgresStateStore.open(PostgresUrl.parse(state))) {
                        store.tokens().add(issued.kept());
                    }
                } else {
                    SqliteStateStore.withTokens(dataDir, tokens -> {
                        tokens.add(issued.kept());
                        return null;
                    });
                }
            } catch (TokenNameTakenException e) {
                throw new CliException(e.getMessage());
            }
            var kept = issued.kept();
            shown(
                    issued.token(),
                    kept.name(),
                    kept.scope().toString(),
                    kept.expiresAt() == null ? null : kept.expiresAt().toString(),
                    kept.rate() == null ? null : kept.rate().toString());
        }

        private static void shown(String token, String name, String scope, String expiresAt, String rate) {
            System.out.println(token);
            System.err.println("Token '" + name + "' (" + scope + (expiresAt == null ? "" : ", expires " + expiresAt)
                    + (rate == null ? "" : ", quota " + rate)
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
            var format = "%-24s %-20s %-26s %-26s %s%n";
            System.out.printf(format, "NAME", "SCOPE", "CREATED", "EXPIRES", "QUOTA");
            for (var t : tokens) {
                System.out.printf(
                        format,
                        t.path("name").asText(),
                        t.path("scope").asText(),
                        t.path("createdAt").asText(),
                        t.path("expiresAt").isTextual() ? t.path("expiresAt").asText() : "never",
                        t.path("rate").isTextual() ? t.path("rate").asText() : "none");
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
