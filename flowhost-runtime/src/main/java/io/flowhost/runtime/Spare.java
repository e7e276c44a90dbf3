package io.flowhost.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.metaflow.pickle.Pickle;
import io.flowhost.runtime.internal.WarmUpService;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.runtime.predictions.PredictionSettings;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * A warm spare: an instance JVM started before any deployment needs it. It serves a built-in service to itself until
 * its HTTP, JSON and binding code is loaded and compiled, then waits on standard input for one line, the JSON array of
 * the command-line arguments of the instance it is to become. The process driver holds that pipe: it writes the line
 * when it hands the spare a deployment, and closes it (the spare exits) when the server goes. A line before it may ask
 * the spare to check a jar first (a deploy's check, in the JVM that then serves it). A JVM started for such a check
 * ({@link InstanceMain#CHECK}) runs the same steps without the warm-up.
 *
 * <p>The pipe is read from the start, beside the warm-up: a server that dies while its spare warms up (seconds of CPU
 * on a busy host) leaves no spare running, and a deployment handed over early cuts the warm-up short.
 */
final class Spare {

    /** Calls made to the warm-up service: enough for the first real calls to run mostly compiled code. */
    private static final int WARM_UP_CALLS = 400;

    private static final System.Logger LOG = System.getLogger("flowhost.instance");

    private Spare() {}

    /** Checks the service that instance arguments name and writes what it offers to a file, or ends the JVM. */
    @FunctionalInterface
    interface Checker {
        void check(String[] args, Path answer);
    }

    /**
     * Warms this JVM up (if {@code warm}), then blocks until handed a deployment and returns its arguments; runs
     * {@code parentGone} (which ends the JVM) as soon as the pipe closes, during the warm-up too. A line asking for a
     * check ({@code {"check": [arguments], "answer": file}}) may come first: the service is checked by
     * {@code checker}, and this JVM, its classes loaded, waits on to become that service's instance.
     */
    static String[] await(InputStream handoff, boolean warm, Checker checker, Runnable parentGone) throws IOException {
        long started = System.nanoTime();
        var handed = new CompletableFuture<String>();
        Thread.ofPlatform().daemon().name("handoff").start(() -> {
            try {
                var line = readLine(handoff);
                if (line == null) {
                    parentGone.run();
                }
                handed.complete(line);
            } catch (IOException e) {
                handed.completeExceptionally(e);
            }
        });
        if (warm) {
            warmUpThenIdle(handed, started);
        }
        String line;
        try {
            line = handed.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        var json = new ObjectMapper();
        while (line != null) {
            var message = json.readTree(line);
            if (!message.isObject()) {
                return json.treeToValue(message, String[].class);
            }
            long checking = System.nanoTime();
            checker.check(
                    json.treeToValue(message.path("check"), String[].class),
                    Path.of(message.path("answer").asText()));
            LOG.log(
                    System.Logger.Level.INFO,
                    "service checked in " + (System.nanoTime() - checking) / 1_000_000
                            + " ms; waiting to become its instance");
            line = readLine(handoff);
            if (line == null) {
                parentGone.run();
            }
        }
        return null;
    }

    private static void warmUpThenIdle(CompletableFuture<String> handed, long started) {
        try {
            warmUp(handed::isDone);
        } catch (IOException | ServiceDefinitionException | RuntimeException e) {
            // A spare that could not warm up still starts its instance, just more slowly.
            LOG.log(System.Logger.Level.WARNING, "warm-up failed, waiting cold: " + e);
        }
        long warming = (System.nanoTime() - started) / 1_000_000;
        if (handed.isDone()) {
            LOG.log(System.Logger.Level.INFO, "warm spare handed work after " + warming + " ms of warm-up (cut short)");
        } else {
            // What the warm-up allocated is garbage: give it back before idling, so that an idle spare stays small.
            System.gc();
            LOG.log(System.Logger.Level.INFO, "warm spare ready in " + warming + " ms; waiting for a deployment");
        }
    }

    /**
     * A gzipped pickle shaped like a small model's artifacts (nested lists of floats, strings, a dict, a tuple), as
     * Metaflow stores them: decoded during the warm-up, so that a constructor reading artifacts runs compiled code.
     */
    private static final String PICKLED_ARTIFACT = "H4sIAAAAAAACA02QsUrEQBCGL1484+EzWF9l4wPsgUWKgOADiIzrJC7eJWF3c2gh2C"
            + "gWU46CPslZ5UrtDnwBS0EQCwtL95Ks+DMDP7PfDzN7Fd5lQa/RJY9oSxaYpkoqzK3hQx65isVbC8T1d2fGUWfEojXYcD9+uvQBnxz3/nH1"
            + "u+e+vPHcIuw4pKHKLWqJZbtILJ4eVnqM65fOiNfdRkgbcgLGYAPSwKAtDDANZ6iNksWk0EybM6UzlSsJjBSlCLbSXSBwbHDsWro+cc9Bzs"
            + "k9rRVnfEsRSFlpkBcci8/5wcf19pwGJWiYGl79WLDHf3dQNIXzI+XW5uSZ+hYy3q9o3ZxCiZz0k/CGq51f7SSgTnIBAAA=";

    private static final int PICKLE_DECODES = 300;

    private static void warmUpArtifacts(BooleanSupplier handed) throws IOException {
        var gzipped = Base64.getDecoder().decode(PICKLED_ARTIFACT);
        for (int i = 0; i < PICKLE_DECODES && !handed.getAsBoolean(); i++) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                Pickle.decode(in.readAllBytes());
            }
        }
    }

    /** Warms up until done or until {@code handed} says a deployment came (it runs better warm, not later). */
    private static void warmUp(BooleanSupplier handed) throws IOException, ServiceDefinitionException {
        warmUpArtifacts(handed);
        if (handed.getAsBoolean()) {
            return;
        }
        var options = new InstanceOptions(
                null,
                WarmUpService.class.getName(),
                InetAddress.getLoopbackAddress().getHostAddress(),
                0,
                null,
                InstanceOptions.DEFAULT_MAX_BODY,
                Map.of(),
                false,
                null,
                Map.of(),
                null,
                null,
                PredictionSettings.defaults(),
                null);
        try (var instance = Instance.serve(options);
                var socket = new Socket(InetAddress.getLoopbackAddress(), instance.port())) {
            socket.setTcpNoDelay(true);
            var out = socket.getOutputStream();
            var in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < WARM_UP_CALLS && !handed.getAsBoolean(); i++) {
                var body = "{\"id\": \"f" + i + "\", \"scale\": 0." + (i % 10)
                        + ", \"values\": [5.1, 3.5, 1.4, 0.2], \"extra\": {\"n\": " + i + ", \"tag\": \"t\"}}";
                call(out, in, "POST", "/v1/services/warm-up/score", body);
                if (i % 8 == 0) {
                    call(out, in, "GET", "/v1/services/warm-up/info", null);
                    call(out, in, "POST", "/v1/services/warm-up/score", "{\"id\": \"x\", \"values\": []}");
                    call(out, in, "POST", "/v1/services/warm-up/score", "{not json");
                    call(out, in, "GET", "/readyz", null);
                }
            }
        }
    }

    /** One HTTP/1.1 call on a kept-alive connection; the answer is read to its end and dropped. */
    private static void call(OutputStream out, InputStream in, String method, String path, String body)
            throws IOException {
        var bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        var head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n";
        // One write of the whole request, as HTTP clients do (with Nagle on, a body written after its head waited
        // here for an acknowledgement that did not come).
        var request = new ByteArrayOutputStream(head.length() + bytes.length);
        request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(bytes);
        out.write(request.toByteArray());
        out.flush();
        int length = -1;
        String line;
        while (!(line = readHeaderLine(in)).isEmpty()) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        if (length < 0) {
            throw new IOException("the warm-up service answered " + path + " without a Content-Length");
        }
        in.readNBytes(length);
    }

    private static String readHeaderLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the warm-up service closed the connection");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /**
     * One line of the handoff pipe, or null at its end. Read a byte at a time: what follows the line is the parent's
     * to close, and is watched by the instance afterwards.
     */
    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return null;
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
