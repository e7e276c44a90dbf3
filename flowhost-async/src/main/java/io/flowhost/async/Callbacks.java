package io.flowhost.async;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.request.AsyncRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Tells callers their request finished: a POST of the request's JSON to the callback URL they
 * gave (checked against the allowed origins when they gave it, and again, with its host looked up, before each
 * try), retried with backoff, each try bounded by a timeout. Redirects are not followed: a callback goes where
 * it was judged to go, or nowhere. A callback never holds up the queue: it runs on its own virtual thread.
 */
public final class Callbacks {

    private static final System.Logger LOG = System.getLogger("flowhost.async");
    private static final int TRIES = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final InstantSource clock;
    private final Duration firstBackoff;
    private final CallbackOrigins origins;

    /**
     * @param firstBackoff the wait before the second try; it doubles after each failure
     * @param origins where callbacks may go, judged again before each try once the host is looked up
     */
    public Callbacks(InstantSource clock, Duration firstBackoff, CallbackOrigins origins) {
        this.clock = clock;
        this.firstBackoff = firstBackoff;
        this.origins = origins;
    }

    /** Sends the finished request's state to its callback, if it has one. */
    public void finished(AsyncRequest request) {
        if (request.callbackUrl() == null) {
            return;
        }
        Thread.ofVirtual().name("callback-" + request.id()).start(() -> deliver(request));
    }

    private void deliver(AsyncRequest request) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(RequestView.of(request, clock.instant()));
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot write the callback of " + request.id(), e);
            return;
        }
        var backoff = firstBackoff;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            var refusal = origins.refusalAfterLookup(request.callbackUrl());
            if (refusal != null) {
                LOG.log(
                        Level.WARNING,
                        "not calling back " + request.id() + ": " + refusal + "; its result stays available at "
                                + RequestView.location(request.id()));
                return;
            }
            try {
                var response = http.send(
                        HttpRequest.newBuilder(URI.create(request.callbackUrl()))
                                .timeout(TIMEOUT)
                                .header("Content-Type", "application/json")
                                .header("X-Request-Id", request.requestId())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 300) {
                    return;
                }
                LOG.log(
                        Level.WARNING,
                        "callback of " + request.id() + " to " + request.callbackUrl() + " answered "
                                + response.statusCode() + " (try " + attempt + " of " + TRIES + ")");
            } catch (IOException e) {
                LOG.log(
                        Level.WARNING,
                        "callback of " + request.id() + " to " + request.callbackUrl() + " failed: " + e + " (try "
                                + attempt + " of " + TRIES + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2);
        }
        LOG.log(
                Level.ERROR,
                "gave up calling back " + request.callbackUrl() + " for " + request.id()
                        + "; its result stays available at " + RequestView.location(request.id()));
    }
}
