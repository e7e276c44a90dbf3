package io.flowhost.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackOriginsTest {

    private static final int SERVER_PORT = 8080;

    private static CallbackOrigins allowing(String... origins) {
        return new CallbackOrigins(List.of(origins), () -> SERVER_PORT);
    }

    @ParameterizedTest
    @CsvSource({
        "http://hooks.internal:9000/done, http://hooks.internal:9000",
        "http://HOOKS.internal:9000/a/b?x=1, http://hooks.internal:9000",
        "https://hooks.internal/done, https://hooks.internal:443",
        "http://hooks.internal/done, http://hooks.internal:80",
    })
    void aCallbackToAnAllowedOriginMayGo(String url, String allowed) {
        assertThat(allowing(allowed).refusal(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://hooks.internal:9001/done", // another port of the same machine
                "https://hooks.internal:9000/done", // another scheme
                "http://other.internal:9000/done", // another host
                "http://hooks.internal/done", // the default port, not the allowed one
            })
    void aCallbackToAnyOtherOriginIsRefusedNamingIt(String url) {
        assertThat(allowing("http://hooks.internal:9000").refusal(url))
                .contains("is not allowed")
                .contains("--callback-origin")
                .contains("[http://hooks.internal:9000]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://localhost:8080/v1/deployments",
                "http://127.0.0.1:8080/v1/deployments",
                "http://127.0.0.2:8080/v1/deployments",
                "http://[::1]:8080/v1/deployments",
                "http://0.0.0.0:8080/v1/deployments",
            })
    void theServersOwnAddressIsRefusedEvenWhenAllowed(String url) {
        var origins = allowing(
                "http://localhost:8080",
                "http://127.0.0.1:8080",
                "http://127.0.0.2:8080",
                "http://[::1]:8080",
                "http://0.0.0.0:8080");

        assertThat(origins.refusal(url)).contains("this server's own address");
        assertThat(origins.own()).hasSize(5);
    }

    @Test
    void anotherPortOnThisMachineMayBeAllowed() {
        assertThat(allowing("http://127.0.0.1:9000").refusal("http://127.0.0.1:9000/done"))
                .isNull();
        assertThat(allowing("http://127.0.0.1:9000").own()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hooks.internal",
                "ftp://hooks.internal",
                "http://hooks.internal:9000/done",
                "http://user@hooks.internal:9000",
                "http://hooks.internal:9000?x=1",
                "http://:9000"
            })
    void anAllowEntryThatIsNotAnOriginIsRefusedAtStartup(String entry) {
        assertThatThrownBy(() -> allowing(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callback-origin: '" + entry + "'")
                .hasMessageContaining("e.g. http://hooks.internal:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "file:///etc/passwd", "mailto:x@y", "http:///nohost"})
    void aCallbackThatIsNoHttpUrlIsRefused(String url) {
        assertThat(allowing("http://hooks.internal:9000").refusal(url)).startsWith("callback '" + url + "'");
    }

    @Test
    void anAllowedNameIsJudgedAgainByWhereItLeadsWhenACallbackIsSent() {
        var origins = allowing(
                "http://hooks.internal:8080",
                "http://rebound.internal:8080",
                "http://rebound.internal:9000",
                "http://metadata.internal:80",
                "http://169.254.169.254:80");

        assertThat(origins.refusal("http://rebound.internal:8080/done"))
                .as("a name is not looked up when the call is accepted")
                .isNull();
        assertThat(origins.refusalAfterLookup("http://rebound.internal:8080/done"))
                .contains("leads to 127.0.0.1, this server's own address");
        assertThat(origins.refusalAfterLookup("http://rebound.internal:9000/done"))
                .as("another port of this machine, allowed")
                .isNull();
        assertThat(origins.refusalAfterLookup("http://metadata.internal/latest/meta-data"))
                .contains("link-local address 169.254.169.254");
        assertThat(origins.refusalAfterLookup("http://169.254.169.254/hook"))
                .as("written as the origin itself: meant")
                .isNull();
        assertThat(origins.refusalAfterLookup("http://hooks.internal:8080/done"))
                .isNull();
        assertThat(origins.refusalAfterLookup("http://other.internal:8080/done"))
                .contains("is not allowed");
        assertThat(origins.refusalAfterLookup("http://nowhere.internal:8080/done"))
                .as("not allowed, before any look-up")
                .contains("is not allowed");
    }
}
