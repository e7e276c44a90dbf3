package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.sdk.Tables;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A service's lookups, asked of the gateway that started its instance ({@code GET /v1/tables/{t}/{key}}): the
 * gateway holds the tables, and an instance on another host reads them the same way. Connections are kept alive.
 */
final class GatewayTables implements Tables {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI gateway;
    private final ObjectMapper json;
    // Made at the first lookup: building an HTTP client costs an instance's start 100-200 ms (its classes, its
    // selector thread), and most services never look anything up.
    private volatile HttpClient http;

    GatewayTables(URI gateway, ObjectMapper json) {
        this.gateway = gateway;
        this.json = json;
    }

    /** The gateway's tables when the instance was told where its gateway is; {@link Tables#NONE} otherwise. */
    static Tables of(String gatewayUrl, ObjectMapper json) {
        return gatewayUrl == null || gatewayUrl.isBlank()
                ? Tables.NONE
                : new GatewayTables(URI.create(gatewayUrl), json);
    }

    private HttpClient http() {
        var client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(TIMEOUT)
                            .build();
                }
                client = http;
            }
        }
        return client;
    }

    @Override
    public Optional<String> get(String table, String key) {
        var uri = gateway.resolve("/v1/tables/" + encode(table) + "/" + encode(key));
        HttpResponse<String> answer;
        try {
            answer = http().send(
                            HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "looking up '" + key + "' in table '" + table + "' at " + gateway + " failed: " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted looking up '" + key + "' in table '" + table + "'", e);
        }
        if (answer.statusCode() == 200) {
            return Optional.of(answer.body());
        }
        var type = problemType(answer.body());
        if (answer.statusCode() == 404 && type.endsWith(":key-not-found")) {
            return Optional.empty();
        }
        var detail = problemDetail(answer.body());
        if (answer.statusCode() == 400) {
            throw new IllegalArgumentException(detail);
        }
        throw new IllegalStateException("table '" + table + "': " + answer.statusCode() + " " + detail);
    }

    @Override
    public <T> Optional<T> get(String table, String key, Class<T> type) {
        return get(table, key).map(text -> {
            try {
                return json.readValue(text, type);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "the value of '" + key + "' in table '" + table + "' is not a " + type.getSimpleName() + ": "
                                + e.getMessage(),
                        e);
            }
        });
    }

    private String problemType(String body) {
        try {
            return json.readTree(body).path("type").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private String problemDetail(String body) {
        try {
            return json.readTree(body).path("detail").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
