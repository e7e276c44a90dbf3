package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class SubmitContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void aSubmittedRequestIsQueuedAndCanBeReadBackWithEverythingItCarried() {
        var call = new NewRequest(
                "echo-v1",
                "echo",
                "shout",
                "text/plain",
                "hello".getBytes(),
                "req-7",
                "key-1",
                "https://hooks.example/done");
        var submitted = temp.submit(call, Retention.defaults());

        assertThat(submitted.duplicate()).isFalse();
        var stored = temp.store().get(submitted.request().id()).orElseThrow();
        assertThat(stored).usingRecursiveComparison().isEqualTo(submitted.request());
        assertThat(stored.id()).matches("[A-Za-z0-9_-]{22}");
        assertThat(stored.state()).isEqualTo(State.QUEUED);
        assertThat(stored.body()).asString().isEqualTo("hello");
        assertThat(stored)
                .extracting(
                        AsyncRequest::deploymentId,
                        AsyncRequest::service,
                        AsyncRequest::endpoint,
                        AsyncRequest::contentType,
                        AsyncRequest::requestId,
                        AsyncRequest::idempotencyKey,
                        AsyncRequest::callbackUrl,
                        AsyncRequest::attempts,
                        AsyncRequest::maxAttempts)
                .containsExactly(
                        "echo-v1", "echo", "shout", "text/plain", "req-7", "key-1", "https://hooks.example/done", 0, 3);
        assertThat(stored.acceptedAt()).isEqualTo(temp.clock().instant());
        assertThat(stored.expiresAt()).isEqualTo(temp.clock().instant().plus(Duration.ofHours(6)));
        assertThat(stored.startedAt()).isNull();
        assertThat(stored.result()).isNull();
    }

    @Test
    void anUnknownIdIsEmpty() {
        assertThat(temp.store().get("no-such-request-id-here")).isEmpty();
    }

    @Test
    void idsAreUniqueAndUrlSafe() {
        var first = temp.submit(temp.call("echo-v1"));
        var second = temp.submit(temp.call("echo-v1"));
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(second.id()).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void theSameIdempotencyKeyForTheSameEndpointReturnsTheFirstRequestWithoutStoringAnother() {
        var first = temp.submit(temp.call("echo-v1", "echo", "k"), Retention.defaults());
        var again = temp.submit(temp.call("echo-v1", "echo", "k"), Retention.defaults());

        assertThat(again.duplicate()).isTrue();
        assertThat(again.request().id()).isEqualTo(first.request().id());
        assertThat(again.request().body()).isEqualTo(first.request().body());
        assertThat(temp.store().queued("echo-v1")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyForAnotherBodyIsRefusedAndStoresNothing() {
        temp.submit(temp.call("echo-v1", "echo", "k", "{\"order\":7}"), Retention.defaults());

        assertKeyReused(temp.call("echo-v1", "echo", "k", "{\"order\":8}"));
        assertThat(temp.store().queued("echo-v1")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyForAnotherEndpointServiceOrContentTypeIsRefused() {
        var first = temp.call("echo-v1", "echo", "k");
        temp.submit(first, Retention.defaults());

        assertKeyReused(temp.call("echo-v1", "shout", "k"));
        assertKeyReused(
                new NewRequest("iris-v1", "iris", "echo", first.contentType(), first.body(), "req-x", "k", null));
        assertKeyReused(new NewRequest("echo-v1", "echo", "echo", "text/plain", first.body(), "req-y", "k", null));
        assertThat(temp.store().list("echo", Set.of(), 10)).hasSize(1);
        assertThat(temp.store().list("iris", Set.of(), 10)).isEmpty();
    }

    @Test
    void theRefusalNamesTheKeyAndSaysWhatToDoWithoutRevealingTheEarlierRequest() {
        var first = temp.submit(temp.call("echo-v1", "echo", "k", "{\"secret\":\"first caller\"}"));

        assertThatThrownBy(() -> temp.submit(temp.call("echo-v1", "echo", "k", "{}")))
                .cause()
                .isInstanceOf(IdempotencyKeyReusedException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("use a new key")
                .message()
                .doesNotContain(first.id())
                .doesNotContain("first caller");
    }

    @Test
    void aKeyRefusedForAnotherRequestStillReplaysItsOwn() {
        var first = temp.submit(temp.call("echo-v1", "echo", "k"));
        assertKeyReused(temp.call("echo-v1", "echo", "k", "{\"other\":true}"));

        var again = temp.submit(temp.call("echo-v1", "echo", "k"), Retention.defaults());
        assertThat(again.duplicate()).isTrue();
        assertThat(again.request().id()).isEqualTo(first.id());
    }

    private void assertKeyReused(NewRequest call) {
        assertThatThrownBy(() -> temp.submit(call, Retention.defaults()))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void anIdempotencyKeyIsForgottenOnceItsRequestIsPastItsResultTtl() {
        var retention = Retention.defaults().with(Map.of("result-ttl", "1h"));
        var first = temp.submit(temp.call("echo-v1", "echo", "k"), retention).request();
        var store = temp.store();
        var holder = "worker-1";
        store.lease("echo-v1", holder, Duration.ofMinutes(1), temp.clock().instant());
        store.complete(
                first.id(),
                holder,
                new Result(200, "application/json", "{}".getBytes()),
                temp.clock().instant());

        temp.clock().advance(Duration.ofMinutes(59));
        assertThat(temp.submit(temp.call("echo-v1", "echo", "k"), retention).duplicate())
                .isTrue();
        temp.clock().advance(Duration.ofMinutes(1));
        // forgotten: another request may now use the key
        assertThat(temp.submit(temp.call("echo-v1", "echo", "k", "{\"order\":8}"), retention)
                        .duplicate())
                .isFalse();
    }

    @Test
    void aDeploymentWithMaxQueuedRequestsQueuedRefusesTheNextNamingTheLimit() {
        var retention = Retention.defaults().with(Map.of("max-queued", "2"));
        temp.submit(temp.call("echo-v1"), retention);
        temp.submit(temp.call("echo-v1"), retention);

        assertThatThrownBy(() -> temp.submit(temp.call("echo-v1"), retention))
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(QueueFullException.class)
                .hasMessage("echo-v1 has 2 requests queued already (max-queued: 2)");
        assertThat(temp.submit(temp.call("echo-v2"), retention).duplicate())
                .as("another deployment")
                .isFalse();
        assertThat(temp.store().queued("echo-v1")).isEqualTo(2);
    }

    @Test
    void aFullQueueTakesRequestsAgainOnceOneIsLeased() {
        var retention = Retention.defaults().with(Map.of("max-queued", "1"));
        temp.submit(temp.call("echo-v1"), retention);
        temp.store().lease("echo-v1", "w", Duration.ofMinutes(1), temp.clock().instant());

        assertThat(temp.submit(temp.call("echo-v1"), retention).request().state())
                .isEqualTo(State.QUEUED);
    }

    @Test
    void aRepeatedIdempotencyKeyIsAnsweredEvenWhenTheQueueIsFull() {
        var retention = Retention.defaults().with(Map.of("max-queued", "1"));
        var first = temp.submit(temp.call("echo-v1", "echo", "k"), retention).request();

        assertThat(temp.submit(temp.call("echo-v1", "echo", "k"), retention)
                        .request()
                        .id())
                .isEqualTo(first.id());
    }

    @Test
    void listGivesAServicesRequestsNewestFirstInTheAskedStates() {
        var a = temp.submit(temp.call("echo-v1"));
        temp.clock().advance(Duration.ofSeconds(1));
        var b = temp.submit(temp.call("echo-v1"));
        temp.clock().advance(Duration.ofSeconds(1));
        var c = temp.submit(temp.call("echo-v2"));
        temp.store().cancel(b.id(), temp.clock().instant());
        temp.submit(new NewRequest("iris-v1", "iris", "predict", null, new byte[0], "r", null, null));

        assertThat(temp.store().list("echo", Set.of(), 10))
                .extracting(AsyncRequest::id)
                .containsExactly(c.id(), b.id(), a.id());
        assertThat(temp.store().list("echo", Set.of(State.QUEUED), 10))
                .extracting(AsyncRequest::id)
                .containsExactly(c.id(), a.id());
        assertThat(temp.store().list("echo", Set.of(), 1))
                .extracting(AsyncRequest::id)
                .containsExactly(c.id());
    }

    @Test
    void anEmptyBodyAndNoContentTypeAreStoredAsSuch() {
        var r = temp.submit(new NewRequest("iris-v1", "iris", "ping", null, new byte[0], "r", null, null));

        var stored = temp.store().get(r.id()).orElseThrow();
        assertThat(stored.body()).isEmpty();
        assertThat(stored.contentType()).isNull();
    }
}
