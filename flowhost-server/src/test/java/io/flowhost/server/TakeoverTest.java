package io.flowhost.server;

import static io.flowhost.server.SharedStateGateways.leader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A takeover the shared state fails, in part or whole, for a while: the new leader leads without what it cannot
 * restore yet and restores it once it can; a takeover that fails gives the lease back and is tried again.
 */
@Tag("e2e")
class TakeoverTest {

    private static final Duration WITHIN = Duration.ofSeconds(60); // a loaded machine; it takes seconds

    @RegisterExtension
    final SharedStateGateways gateways = new SharedStateGateways();

    @Test
    void aNewLeaderThatCannotCopyAJarYetLeadsAndRestoresItOnceItCan() throws Exception {
        var a = gateways.start("a");
        var b = gateways.start("b");
        var viaB = new Http(b.uri());
        var sha = Http.json(new Http(a.uri()).deploy(TestJars.exampleBytes("echo")))
                .path("jarSha256")
                .asText();
        Files.delete(gateways.jarCopy("a", sha)); // as if a ran on another host
        gateways.sql("ALTER TABLE jar_chunks RENAME TO jar_chunks_away"); // the state's copy out of reach for now

        gateways.stop(a);
        await().atMost(WITHIN).until(() -> leader(viaB).endsWith(" " + b.listening()));
        assertThat(gateways.jarCopy("b", sha)).doesNotExist();

        gateways.sql("ALTER TABLE jar_chunks_away RENAME TO jar_chunks");

        await().atMost(WITHIN).untilAsserted(() -> {
            var call = viaB.postJson("/v1/services/echo/echo", "{\"after\": \"restored\"}");
            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
        });
        assertThat(gateways.jarCopy("b", sha)).exists();
    }

    @Test
    void aFollowerWhoseTakeoverTheStateFailsGivesTheLeaseBackAndLeadsOnceItCan() {
        var a = gateways.start("a");
        var b = gateways.start("b");
        var c = gateways.start("c");
        var viaB = new Http(b.uri());
        var viaC = new Http(c.uri());
        new Http(a.uri()).deploy(TestJars.exampleBytes("echo"));
        gateways.sql("ALTER TABLE requests RENAME TO requests_away"); // the takeover's first step, requeueing, fails

        gateways.stop(a);
        // a follower took the lease, failed the takeover and gave the lease back (to try again a second later)
        await().atMost(WITHIN).until(() -> gateways.queryLong("SELECT lease_until FROM leadership") == 0);

        gateways.sql("ALTER TABLE requests_away RENAME TO requests");

        // one of b and c leads; the other, whose takeover may have failed too, routes to the new leader's instances
        for (var via : List.of(viaB, viaC)) {
            await().atMost(WITHIN).untilAsserted(() -> {
                var call = via.postJson("/v1/services/echo/echo", "{\"after\": \"a failed takeover\"}");
                assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            });
        }
        assertThat(leader(viaB)).isEqualTo(leader(viaC)).isNotEmpty();
    }
}
