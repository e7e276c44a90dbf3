package io.flowhost.async;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.state.RequestStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells callers their request finished: a POST of the request's JSON to the callback URL they
 * gave (checked against the allowed origins when they gave it, and again, with its host looked up, before each
 * try), retried with backoff, each try bounded by a timeout. Redirects are not followed: a callback goes where
 * it was judged to go, or nowhere. A callback never holds up the queue: it runs on its own virtual thread.
 *
 * <p>At least once: the store keeps a finished request's callback owed until it is settled (delivered, refused or
 * given up), so one cut off by a stop, a crash or a lost leadership is sent again by {@link #resendOwed}; a
 * receiver tells a second delivery by its {@code X-Request-Id}.
 */
public final class Callbacks implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.async");
    private static final int TRIES = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The most owed callbacks one {@link #resendOwed} starts; the next call takes the rest. */
    private static final int RESEND_AT_ONCE = 100;

    private final RequestStore store;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final InstantSource clock;
    private final Duration firstBackoff;
    private final CallbackOrigins origins;
    /** The callbacks on their way from this process, by request id. */
    private final Map<String, Thread> sending = new ConcurrentHashMap<>();
    /** Callbacks delivered, refused or given up whose settling write failed: marked again, not sent again. */
    private final Set<String> unmarked = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    /**
     * @param store        where a callback is owed until it is settled
     * @param firstBackoff the wait before the second try; it doubles after each failure
     * @param origins      where callbacks may go, judged again before each try once the host is looked up
     */
    public Callbacks(RequestStore store, InstantSource clock, Duration firstBackoff, CallbackOrigins origins) {
        this.store = store;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
        this.origins = origins;
    }

    /** Sends the finished request's state to its callback, if it has one and it is not on its way already. */
    public void finished(AsyncRequest request) {
        send(request);
    }

    /** Starts sending the request's callback; false when it has none, is on its way already, or this is closed. */
    private boolean send(AsyncRequest request) {
        if (request.callbackUrl() == null || closed) {
            return false;
        }
        var thread = Thread.ofVirtual().name("callback-" + request.id()).unstarted(() -> {
            try {
                if (deliver(request)) {
                    settled(request);
                }
            } finally {
                sending.remove(request.id());
            }
        });
        if (sending.putIfAbsent(request.id(), thread) != null) {
            return false;
        }
        thread.start();
        return true;
    }

    /**
     * Sends the callbacks still owed for requests that finished before {@code finishedBefore} and are not on their
     * way from here (cut off by a stop or a lost lead, or never started for a request that expired or was
     * cancelled); returns how many it started. One this process settled but could not mark so is marked again.
     */
    public int resendOwed(Instant finishedBefore) {
        int started = 0;
        for (var request : store.callbacksOwed(finishedBefore, RESEND_AT_ONCE)) {
            if (unmarked.contains(request.id())) {
                settled(request);
            } else if (send(request)) {
                started++;
            }
        }
        return started;
    }

    /** Stops the callbacks on their way, which stay owed for the next start to send. */
    @Override
    public void close() {
        closed = true;
        sending.values().forEach(Thread::interrupt);
        http.shutdownNow();
    }

    private void settled(AsyncRequest request) {
        try {
            store.callbackSettled(request.id(), clock.instant());
            unmarked.remove(request.id());
        } catch (RuntimeException e) {
            // Marked at the next look for owed callbacks; only a restart before then sends it again.
            if (unmarked.add(request.id())) {
                LOG.log(Level.WARNING, "cannot mark the callback of " + request.id() + " sent: " + e.getMessage());
            }
        }
    }

    /** Delivers, refuses or gives up (true: settled), or is interrupted by {@link #close} (false: still owed). */
    private boolean deliver(AsyncRequest request) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(RequestView.of(request, clock.instant()));
        } catch (IOException e) {
            LOG.log(Level.ERROR, "cannot write the callback of " + request.id(), e);
            return true;
        }
        var backoff = firstBackoff;
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            var refusal = origins.refusalAfterLookup(request.callbackUrl());
            if (refusal != null) {
                LOG.log(
                        Level.WARNING,
                        "not calling back " + request.id() + ": " + refusal + "; its result stays available at "
                                + RequestView.location(request.id()));
                return true;
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
                    return true;
                }
                LOG.log(
                        Level.WARNING,
                        "callback of " + request.id() + " to " + request.callbackUrl() + " answered "
                                + response.statusCode() + " (try " + attempt + " of " + TRIES + ")");
            } catch (IOException e) {
                if (closed) {
                    return false;
                }
                LOG.log(
                        Level.WARNING,
                        "callback of " + request.id() + " to " + request.callbackUrl() + " failed: " + e + " (try "
                                + attempt + " of " + TRIES + ")");
            } catch (InterruptedException e) {
                return false;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return false;
            }
            backoff = backoff.multipliedBy(2);
        }
        LOG.log(
                Level.ERROR,
                "gave up calling back " + request.callbackUrl() + " for " + request.id()
                        + "; its result stays available at " + RequestView.location(request.id()));
        return true;
    }
}
