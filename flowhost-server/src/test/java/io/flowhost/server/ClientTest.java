package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.client.AsyncCall;
import io.flowhost.client.FailedException;
import io.flowhost.client.FlowhostClient;
import io.flowhost.client.RejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** flowhost-client against a real server and real instances: typed calls, async calls, streams, problems, traces. */
@Tag("e2e")
class ClientTest {

    @RegisterExtension
    static final RunningServer flowhost = new RunningServer();

    private static FlowhostClient client;
    private static final AtomicReference<String> TRACE = new AtomicReference<>();

    /** What the trouble service's order endpoint takes and answers. */
    public record Order(String item, int quantity) {}

    /** One item of the streams service's answers. */
    public record Item(int i, String pad) {}

    @BeforeAll
    static void deploy() {
        flowhost.deploy(TestJars.of(TestServices.Trouble.class, TestServices.Order.class), "?min-instances=1");
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?min-instances=1");
        client = FlowhostClient.builder(flowhost.server().uri())
                .retryBudget(Duration.ofSeconds(5))
                .traceparent(TRACE::get)
                .build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aTypedCallAnswersATypedValue() {
        var order = client.endpoint("trouble", "order", Order.class, Order.class);

        assertThat(order.call(new Order("tea", 3))).isEqualTo(new Order("tea", 3));
    }

    @Test
    void aProblemComesOutAsAnExceptionThatKeepsItsTypeDetailAndRequestId() {
        var reject = client.endpoint("trouble", "reject", Map.class, Map.class);
        assertThatThrownBy(() -> reject.call(Map.of())).isInstanceOfSatisfying(RejectedException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.type()).isEqualTo("urn:flowhost:problem:call-rejected");
            assertThat(e.detail()).isNotBlank();
            assertThat(e.requestId()).isNotBlank();
        });
        var wrong = client.endpoint("trouble", "order", Map.class, Order.class);
        assertThatThrownBy(() -> wrong.call(Map.of("quantity", "three")))
                .isInstanceOfSatisfying(
                        RejectedException.class, e -> assertThat(e.status()).isEqualTo(400));
        var boom = client.endpoint("trouble", "crash", Map.class, Map.class);
        assertThatThrownBy(() -> boom.call(Map.of())).isInstanceOfSatisfying(FailedException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.errorId()).isNotBlank();
        });
        var missing = client.endpoint("nope", "x", Map.class, Map.class);
        assertThatThrownBy(() -> missing.call(Map.of()))
                .isInstanceOfSatisfying(
                        RejectedException.class,
                        e -> assertThat(e.type()).isEqualTo("urn:flowhost:problem:unknown-service"));
    }

    @Test
    void anAsyncCallIsSubmittedAndItsAnswerAwaited() throws Exception {
        var order = client.endpoint("trouble", "order", Order.class, Order.class);

        var call = order.submit(new Order("cake", 2));

        assertThat(call.id()).isNotBlank();
        assertThat(call.await(Duration.ofSeconds(60))).isEqualTo(new Order("cake", 2));
        assertThat(call.state()).isEqualTo(AsyncCall.State.SUCCEEDED);
        assertThat(client.request(call.id(), Order.class).await(Duration.ofSeconds(5)))
                .isEqualTo(new Order("cake", 2));
    }

    @Test
    void aStreamIsReadItemByItemAndItsLateErrorThrown() {
        var stream = client.endpoint("streams", "stream", TestServices.Ask.class, Item.class);

        try (var items = stream.stream(new TestServices.Ask(3, 0, -1, 1, 0))) {
            assertThat(items.toList()).containsExactly(new Item(0, "x"), new Item(1, "x"), new Item(2, "x"));
        }
        try (var items = stream.stream(new TestServices.Ask(3, 0, 1, 0, 0))) {
            var got = new ArrayList<Item>();
            assertThatThrownBy(() -> items.forEach(got::add))
                    .isInstanceOfSatisfying(
                            FailedException.class,
                            e -> assertThat(e.type()).isEqualTo("urn:flowhost:problem:handler-failed"));
            assertThat(got).containsExactly(new Item(0, ""));
        }
    }

    @Test
    void theCallersTraceGoesWithTheCall() {
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        TRACE.set("00-" + traceId + "-00f067aa0ba902b7-01");
        try {
            var call = client.endpoint("trouble", "order", Order.class, Order.class)
                    .submit(new Order("trace", 1));
            var view = Http.json(flowhost.http().get("/v1/requests/" + call.id()));
            assertThat(view.path("traceId").asText()).isEqualTo(traceId);
        } finally {
            TRACE.set(null);
        }
    }
}
