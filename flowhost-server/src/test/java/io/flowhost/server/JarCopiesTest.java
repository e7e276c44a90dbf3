package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.runtime.internal.JarFetch;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway with no copy of a deployment's jar (it was deployed through a gateway on another host) copies it out of
 * the shared state for the pods that fetch it, checked against its SHA-256, and drops its copies of jars no
 * deployment keeps any more.
 */
@Tag("e2e")
class JarCopiesTest {

    @RegisterExtension
    final SharedStateGateways gateways = new SharedStateGateways();

    @Test
    void aGatewayWithNoCopyOfAJarHandsOutTheStatesOnlyIfItIsTheDeployedOne() throws Exception {
        var a = gateways.start("a");
        var b = gateways.start("b");
        var jar = TestJars.exampleBytes("echo");
        var sha = Http.json(new Http(a.uri()).deploy(jar)).path("jarSha256").asText();
        Files.delete(gateways.jarCopy("a", sha)); // as if a ran on another host: its copy is out of b's reach
        var token = b.tokens().tokenFor("echo-v1");

        var fetched = JarFetch.fetch(
                b.uri().resolve("/v1/deployments/echo-v1/jar"), sha, token, gateways.file("fetched.jar"));

        assertThat(fetched).hasBinaryContent(jar);
        var bsCopy = gateways.jarCopy("b", sha);
        assertThat(bsCopy).hasBinaryContent(jar);

        Files.delete(bsCopy);
        gateways.sql("UPDATE jar_chunks SET bytes = overlay(bytes PLACING '\\x00'::bytea FROM 1) WHERE sha256 = '" + sha
                + "'");
        var viaB = new Http(b.uri());
        var damaged = viaB.send(viaB.request("/v1/deployments/echo-v1/jar").header("Authorization", "Bearer " + token));

        assertThat(damaged.statusCode()).as(damaged.body()).isGreaterThanOrEqualTo(500);
        assertThat(bsCopy).doesNotExist();
        try (var left = Files.list(bsCopy.getParent())) {
            assertThat(left)
                    .as("no partial copy left")
                    .noneMatch(p -> p.getFileName().toString().startsWith(sha));
        }
    }

    @Test
    void aGatewayThatDoesNotLeadDropsItsCopiesOfJarsTheLeaderDropped() throws Exception {
        // no retired version keeps its jar
        var a = gateways.start("a", s -> s.withRetiredJarsKept(0));
        var b = gateways.start("b", s -> s.withRetiredJarsKept(0));
        var viaA = new Http(a.uri());
        var first = fetchedThroughB(b, viaA, TestJars.exampleBytes("echo"), "echo-v1");
        assertThat(gateways.jarCopy("b", first)).exists();

        // a second version retires the first, whose jar the leader drops
        var second = fetchedThroughB(
                b, viaA, Files.readAllBytes(TestJars.largeExample("echo", 1, gateways.file(""))), "echo-v2");

        assertThat(gateways.jarCopy("b", second)).exists();
        assertThat(gateways.jarCopy("b", first))
                .as("b's copy of the dropped jar")
                .doesNotExist();
    }

    /** Deploys through the leader, a, then fetches the jar through b as a pod would, b making a copy; its SHA-256. */
    private String fetchedThroughB(FlowhostServer b, Http viaLeader, byte[] jar, String id) throws Exception {
        var deployed = viaLeader.deploy(jar);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        var sha = Http.json(deployed).path("jarSha256").asText();
        Files.delete(gateways.jarCopy("a", sha)); // as if the leader ran on another host
        var fetched = JarFetch.fetch(
                b.uri().resolve("/v1/deployments/" + id + "/jar"),
                sha,
                b.tokens().tokenFor(id),
                gateways.file(id + ".jar"));
        assertThat(fetched).hasBinaryContent(jar);
        return sha;
    }
}
