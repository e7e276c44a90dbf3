package io.flowhost.alerts;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Delivers payloads to one webhook, in order, from a virtual thread of its own, retrying with backoff; a queue keeps
 * the caller from ever waiting, and a full queue (the receiver has been down for a long time) drops the newest.
 */
final class WebhookSender implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.alerts");
    private static final int QUEUE = 1000;
    private static final byte[] STOP = new byte[0];

    private final Webhook hook;
    private final HttpClient http;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;

    WebhookSender(Webhook hook) {
        this.hook = hook;
        this.http = HttpClient.newBuilder().connectTimeout(hook.timeout()).build();
        this.thread = Thread.ofVirtual().name("alerts-webhook-" + hook.name()).start(this::run);
    }

    String name() {
        return hook.name();
    }

    void enqueue(byte[] body) {
        if (!queue.offer(body)) {
            LOG.log(
                    Level.WARNING,
                    "alert webhook {0} ({1}): {2} notifications waiting, dropping one",
                    hook.name(),
                    hook.url(),
                    QUEUE);
        }
    }

    /** Lets what is queued go out for up to the webhook's timeout, then stops. */
    @Override
    public void close() {
        queue.offer(STOP); // after what is queued; when the queue is full the interrupt below stops it
        try {
            thread.join(hook.timeout().plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        http.shutdownNow();
    }

    private void run() {
        try {
            for (var body = queue.take(); body != STOP; body = queue.take()) {
                deliver(body);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void deliver(byte[] body) throws InterruptedException {
        var request = HttpRequest.newBuilder(hook.url())
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "flowhost-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String failure = null;
        int attempt = 1;
        for (; attempt <= hook.maxAttempts(); attempt++) {
            if (attempt > 1) {
                Thread.sleep(hook.retryBackoff().multipliedBy(1L << (attempt - 2))); // 1s, 2s, 4s, ...
            }
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status / 100 == 2) {
                    return;
                }
                failure = "answered " + status;
                if (!retryable(status)) {
                    attempt++;
                    break;
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        LOG.log(
                Level.WARNING,
                "alert webhook {0} ({1}): a notification was not delivered, {2} attempt(s): {3}",
                hook.name(),
                hook.url(),
                attempt - 1,
                failure);
    }

    /** As Alertmanager does: a 4xx other than 408 and 429 is the receiver refusing, and will not change. */
    private static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
