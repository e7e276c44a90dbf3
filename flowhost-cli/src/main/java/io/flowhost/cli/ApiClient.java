package io.flowhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/** Talks to a flowhost server's API, turning its problems into one-line messages. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;

    ApiClient(URI base) {
        this(base, null, null);
    }

    /**
     * @param token the bearer token to present with every request, or null for none
     * @param trust the CAs an {@code https://} server's certificate is checked against, or null for the JDK's
     */
    ApiClient(URI base, String token, SSLContext trust) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.token = token;
        var builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (trust != null) {
            builder.sslContext(trust);
        }
        this.http = builder.build();
    }

    URI base() {
        return base;
    }

    /** A raw exchange: the status and body, whatever they are. */
    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CliException("no flowhost server at " + base + ": start one with 'flowhost server', or point "
                    + "--server (or $FLOWHOST_SERVER) at yours");
        } catch (SSLHandshakeException e) {
            throw new CliException("no TLS connection to " + base + ": " + e.getMessage() + "; if the server's"
                    + " certificate is signed by a private CA (or self-signed), name that CA's PEM file with"
                    + " --ca-cert (or $FLOWHOST_CA_CERT)");
        } catch (IOException e) {
            throw new CliException("talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** Sends the request and returns its JSON body, or fails with the server's problem detail. */
    JsonNode json(HttpRequest.Builder request) {
        var response = send(request.header("Accept", "application/json"));
        if (response.statusCode() >= 300) {
            throw new CliException(describeProblem(response));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the server at " + base + " answered something that is not JSON");
        }
    }

    /** "404 Unknown service: no service 'x' is deployed ..." from a problem+json answer, or the raw body. */
    static String describeProblem(HttpResponse<byte[]> response) {
        try {
            var problem = JSON.readTree(response.body());
            if (problem != null && problem.has("detail")) {
                return response.statusCode() + " " + problem.path("title").asText() + ": "
                        + problem.path("detail").asText();
            }
        } catch (IOException ignored) {
            // not a problem document; show it as it came
        }
        return response.statusCode() + ": " + new String(response.body());
    }
}
