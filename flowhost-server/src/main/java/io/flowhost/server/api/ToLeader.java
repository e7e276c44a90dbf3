package io.flowhost.server.api;

import io.flowhost.domain.state.NoLeaderException;
import io.flowhost.wire.netty.Responses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * On a gateway that follows, what only the leader knows or does (deploys, undeploys, the instances and scaling
 * decisions in status, alerts) is asked of the leader over HTTP and its answer passed back as it is; with no leader
 * (a failover under way) the caller is told to retry in a few seconds.
 */
public final class ToLeader {

    /** A deploy waits for its first instance to be ready, which may take minutes for a large model. */
    private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(10);

    /** A read the leader does not answer in this long (it is paused, or cut off) is answered 503 here. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private static final List<String> PASSED_BACK = List.of("location", "retry-after", "allow");

    private final BooleanSupplier leads;
    private final Supplier<Optional<String>> leaderAddress;
    private final Runnable afterChange;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * @param leads whether this gateway leads now
     * @param leaderAddress where the leader listens, e.g. {@code http://10.0.0.7:8080}, if a live gateway leads
     * @param afterChange run once the leader made a change (a deploy, say), before answering: so that this gateway
     *     routes to what was just deployed through it without waiting for the news
     */
    public ToLeader(BooleanSupplier leads, Supplier<Optional<String>> leaderAddress, Runnable afterChange) {
        this.leads = leads;
        this.leaderAddress = leaderAddress;
        this.afterChange = afterChange;
    }

    /** Whether this gateway answers what only a leader answers. */
    boolean leads() {
        return leads.getAsBoolean();
    }

    /** What marks an answer passed back from the leader. */
    private static final String VIA = "1.1 flowhost-follower";

    /** Whether this answer is the leader's, passed back by {@link #forward} (the leader then audited the request). */
    static boolean fromLeader(FullHttpResponse answer) {
        return VIA.equals(answer.headers().get(HttpHeaderNames.VIA));
    }

    /** The body to send on: a jar from the file it was written to as it came (never whole in memory), else bytes. */
    private static HttpRequest.BodyPublisher publisher(byte[] body, Path upload) {
        if (upload != null) {
            try {
                return HttpRequest.BodyPublishers.ofFile(upload);
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException("the upload " + upload + " is gone", e);
            }
        }
        return body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    }

    /**
     * The leader's answer to the same request, which it audits; {@code callerHost} goes with it as {@code Forwarded:
     * for=}, so that its audit trail names the caller beside this gateway.
     */
    FullHttpResponse forward(
            HttpMethod method,
            String uri,
            String contentType,
            String authorization,
            byte[] body,
            Path upload,
            String requestId,
            String callerHost)
            throws InterruptedException {
        var leader = leaderAddress
                .get()
                .orElseThrow(() -> new NoLeaderException("no gateway leads right now (one took over less than"
                        + " seconds ago, or is about to): retry in a few seconds"));
        var request = HttpRequest.newBuilder(URI.create(leader + uri))
                .timeout(method.equals(HttpMethod.GET) ? READ_TIMEOUT : CHANGE_TIMEOUT)
                .header(Responses.REQUEST_ID.toString(), requestId)
                .method(method.name(), publisher(body, upload));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (callerHost != null) {
            request.header("Forwarded", "for=\"" + callerHost + "\"");
        }
        if (authorization != null) {
            request.header("Authorization", authorization); // the leader checks it again: it trusts no gateway
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new NoLeaderException("the leader at " + leader + " cannot be reached (" + e.getMessage()
                    + "); if it died, another gateway takes over within seconds: retry shortly");
        }
        var response = Responses.response(
                answer.statusCode(),
                answer.headers().firstValue("content-type").orElse("application/octet-stream"),
                Unpooled.wrappedBuffer(answer.body()),
                requestId);
        for (var name : PASSED_BACK) {
            answer.headers().firstValue(name).ifPresent(v -> response.headers().set(name, v));
        }
        response.headers().set(HttpHeaderNames.VIA, VIA);
        if (!method.equals(HttpMethod.GET) && answer.statusCode() < 300) {
            afterChange.run();
        }
        return response;
    }
}
