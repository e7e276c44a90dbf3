package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

/**
 * Opens the gate of {@link TestServices.Trouble}'s ready instance, so that its {@code wait} calls answer: a
 * call that stays in flight exactly as long as a test needs, however slow the machine.
 */
final class Gate {

    private Gate() {}

    /** Opens it on the first ready instance (waiting for one to be ready), asked of the instance itself. */
    static void open(Http http) {
        var address = await().atMost(Duration.ofSeconds(30)).until(() -> readyAddress(http), a -> a != null);
        var opened = new Http(URI.create("http://" + address)).get("/v1/services/trouble/open");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    }

    private static String readyAddress(Http http) {
        for (var instance : Http.json(http.get("/v1/services/trouble")).path("instances")) {
            if (instance.path("state").asText().equals("ready")) {
                return instance.path("address").asText();
            }
        }
        return null;
    }
}
