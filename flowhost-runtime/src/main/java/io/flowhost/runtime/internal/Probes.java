package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.runtime.predictions.Predictions;
import io.flowhost.wire.netty.InOrderHandler.Reply;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Wire;
import io.flowhost.wire.tracing.Tracing;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The instance's probes, whatever it serves: {@code /healthz} (the process is up; the body reports
 * its heap, its prediction-logging counters and the spans its tracing dropped, which the server
 * publishes as metrics) and {@code /readyz} (ready to serve; the body reports the Metaflow runs it
 * pinned, which the server records, and when each step of its start happened, in epoch
 * milliseconds, for the cold-start breakdown).
 */
public final class Probes {

    private final String name;
    private final BooleanSupplier ready;
    private final Supplier<Map<String, String>> pins;
    private final Supplier<Map<String, Long>> timings;
    private final ObjectMapper json;
    private final Predictions predictions;
    private final Tracing tracing;

    Probes(
            String name,
            BooleanSupplier ready,
            Supplier<Map<String, String>> pins,
            Supplier<Map<String, Long>> timings,
            ObjectMapper json,
            Predictions predictions,
            Tracing tracing) {
        this.predictions = predictions;
        this.tracing = tracing;
        this.name = name;
        this.ready = ready;
        this.pins = pins;
        this.timings = timings;
        this.json = json;
    }

    /** Answers the path if it is a probe; false when it is not one. */
    boolean answer(String path, Reply reply) {
        if (path.equals(Wire.HEALTH)) {
            reply.send(Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(health()), reply.requestId()));
            return true;
        }
        if (path.equals(Wire.READY)) {
            if (ready.getAsBoolean()) {
                reply.send(Responses.response(
                        200, Responses.JSON, Unpooled.wrappedBuffer(readyBody()), reply.requestId()));
            } else {
                reply.fail(notReady());
            }
            return true;
        }
        return false;
    }

    /**
     * Up, with the heap in use and, when the instance logs predictions, those logged, dropped (the
     * buffer was full) and failed (a logger threw) since it started, and when it traces, the spans
     * dropped (the export queue was full): the server reads them for its metrics (without logging or
     * tracing, no such series at all). Cheap: no management beans, no JSON library, a few counter
     * reads and, when tracing, one collection of the SDK's few counters.
     */
    private byte[] health() {
        var runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        var body = "{\"status\":\"up\",\"heapUsedBytes\":" + used + ",\"heapCommittedBytes\":" + runtime.totalMemory()
                + ",\"heapMaxBytes\":" + runtime.maxMemory();
        if (predictions.enabled()) {
            body += ",\"predictions\":{\"logged\":" + predictions.logged() + ",\"dropped\":" + predictions.dropped()
                    + ",\"failed\":" + predictions.failed() + "}";
        }
        if (tracing.enabled()) {
            body += ",\"spans\":{\"dropped\":" + tracing.spansDropped() + "}";
        }
        return (body + "}").getBytes();
    }

    /** The refusal of a call that came before the constructor (or the model load) finished: 503, retry shortly. */
    NotReadyException notReady() {
        return new NotReadyException(
                "'" + name + "' is still starting (its constructor or model load has not finished); retry shortly", 2);
    }

    /** What {@code /readyz} answers once ready: status, pins and start timings, as JSON. */
    public byte[] readyBody() {
        try {
            return json.writeValueAsBytes(Map.of("status", "ready", "pins", pins.get(), "timings", timings.get()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }
}
