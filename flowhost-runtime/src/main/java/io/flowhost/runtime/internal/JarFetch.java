package io.flowhost.runtime.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a deployment's jar from the gateways, as an instance in a pod does at start (the instance image holds
 * the runtime only): authenticated with the deployment's token, and kept only if its SHA-256 is the one the
 * deployment recorded, so that a pod never runs other code than what was deployed.
 */
public final class JarFetch {

    /** The environment variable that holds the deployment's token (from the deployment's Kubernetes Secret). */
    public static final String TOKEN_VARIABLE = "FLOWHOST_DEPLOYMENT_TOKEN";

    private static final int ATTEMPTS = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);

    private JarFetch() {}

    /**
     * The jar at {@code url}, written to {@code target} once its SHA-256 is {@code sha256}; a failure to connect or
     * a 5xx is tried again a few times (the gateways may be starting too), anything else fails at once.
     *
     * @param token the deployment's token, sent as a bearer token, or null
     */
    public static Path fetch(URI url, String sha256, String token, Path target) throws IOException {
        if (Files.exists(target) && sha256(target).equalsIgnoreCase(sha256)) {
            return target; // fetched before, by an earlier start in this pod
        }
        var client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        Files.createDirectories(target.getParent());
        // written to a file as it comes and checked there: a jar may be hundreds of MiB, a pod's memory is the
        // service's
        var part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            IOException last = null;
            var pause = FIRST_PAUSE;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                HttpResponse<Path> answer;
                try {
                    answer = client.send(request.build(), HttpResponse.BodyHandlers.ofFile(part));
                } catch (IOException e) {
                    last = new IOException("cannot fetch the service jar from " + url + ": " + e.getMessage(), e);
                    sleep(pause);
                    pause = pause.multipliedBy(2);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching the service jar from " + url, e);
                }
                if (answer.statusCode() >= 500) {
                    last = refused(url, answer);
                    sleep(pause);
                    pause = pause.multipliedBy(2);
                    continue;
                }
                if (answer.statusCode() != 200) {
                    throw refused(url, answer);
                }
                var actual = sha256(part);
                if (!actual.equalsIgnoreCase(sha256)) {
                    throw new IOException("the jar fetched from " + url + " has SHA-256 " + actual + ", not " + sha256
                            + " as deployed: refusing to run it");
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return target;
            }
            throw last;
        } finally {
            Files.deleteIfExists(part); // gone already once moved
        }
    }

    private static IOException refused(URI url, HttpResponse<Path> answer) throws IOException {
        String body;
        try (var in = Files.newInputStream(answer.body())) {
            body = new String(in.readNBytes(500), StandardCharsets.UTF_8); // a problem's detail, not a jar
        }
        return new IOException("the gateway answered " + answer.statusCode() + " for the service jar at " + url
                + (body.isBlank() ? "" : ": " + (body.length() >= 500 ? body + "..." : body)));
    }

    /** The SHA-256 of a file, read as a stream, in lowercase hex. */
    static String sha256(Path file) throws IOException {
        try (var in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The SHA-256 of bytes, in lowercase hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to fetch the service jar again", e);
        }
    }
}
