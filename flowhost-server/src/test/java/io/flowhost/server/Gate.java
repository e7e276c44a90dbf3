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

    /** How many {@code wait} calls the first ready instance holds, asked of the instance itself; 0 with none ready. */
    static int waiting(Http http) {
        var address = readyAddress(http);
        if (address == null) {
            return 0;
        }
        var answer = new Http(URI.create("http://" + address)).get("/v1/services/trouble/waiting");
        return answer.statusCode() == 200 ? Http.json(answer).path("waiting").asInt() : 0;
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
