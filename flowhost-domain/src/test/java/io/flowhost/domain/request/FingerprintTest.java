package io.flowhost.domain.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FingerprintTest {

    private static final NewRequest CALL = call("echo", "shout", "application/json", "{\"a\":1}");

    private static NewRequest call(String service, String endpoint, String contentType, String body) {
        return new NewRequest(
                service + "-v1",
                service,
                endpoint,
                contentType,
                body.getBytes(StandardCharsets.UTF_8),
                "req-1",
                "key-1",
                null);
    }

    @Test
    void theSameRequestSentAgainHasTheSameFingerprintWhateverItsRequestIdOrCallback() {
        var again = new NewRequest(
                "echo-v2", "echo", "shout", "application/json", "{\"a\":1}".getBytes(), "req-2", "key-1", "http://x");
        assertThat(again.fingerprint()).isEqualTo(CALL.fingerprint()).matches("[0-9a-f]{64}");
    }

    @Test
    void theStoredRequestHasTheFingerprintOfTheCallItWasAcceptedAs() {
        var stored = Transitions.accepted("id-1", CALL, Retention.defaults(), Instant.EPOCH);
        assertThat(stored.fingerprint()).isEqualTo(CALL.fingerprint());
    }

    static Stream<NewRequest> otherRequests() {
        return Stream.of(
                call("echo", "shout", "application/json", "{\"a\":2}"),
                call("echo", "whisper", "application/json", "{\"a\":1}"),
                call("other", "shout", "application/json", "{\"a\":1}"),
                call("echo", "shout", "text/plain", "{\"a\":1}"),
                call("echo", "shout", null, "{\"a\":1}"),
                call("echo", "shout", "", "{\"a\":1}"),
                call("echo", "shout", "application/json", "{\"a\":1} "));
    }

    @ParameterizedTest
    @MethodSource("otherRequests")
    void anyOtherPathContentTypeOrBodyHasAnotherFingerprint(NewRequest other) {
        assertThat(other.fingerprint()).isNotEqualTo(CALL.fingerprint());
    }

    @Test
    void anEmptyContentTypeAndNoneAreNotTheSame() {
        assertThat(call("echo", "shout", null, "").fingerprint())
                .isNotEqualTo(call("echo", "shout", "", "").fingerprint());
    }
}
