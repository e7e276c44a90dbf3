package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deploying, replacing, undeploying and losing instances, on a real server with real child JVMs. */
@Tag("e2e")
class DeploymentLifecycleTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    Http http;

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    @Test
    void aDeployAnswers201WithTheDeploymentAndItsLocation() {
        var response = http.deploy(TestJars.exampleBytes("echo"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/deployments/echo-v1");
        var deployment = Http.json(response);
        assertThat(deployment.path("id").asText()).isEqualTo("echo-v1");
        assertThat(deployment.path("state").asText()).isEqualTo("active");
        assertThat(deployment.path("instances").path(0).path("state").asText()).isEqualTo("ready");
    }

    @Test
    void aServiceClassWithTwoEndpointsOnOneRouteIsRefusedNamingTheMethods() {
        var response = http.deploy(TestJars.of(TestServices.Clash.class));

        assertProblem(response, 422, "invalid-service");
        assertThat(Http.json(response).path("detail").asText())
                .contains("'predict'")
                .contains("TestServices$Clash.predict(Map)")
                .contains("TestServices$Clash.predictAgain(Map)")
                .contains("give one of them another name");
        assertThat(Http.json(http.get("/v1/deployments")).path("deployments")).isEmpty();
    }

    @Test
    void aConstructorThatThrowsIsRefusedWithItsMessage() {
        var response = http.deploy(TestJars.of(TestServices.Broken.class));

        assertProblem(response, 422, "invalid-service");
        assertThat(Http.json(response).path("detail").asText())
                .contains("TestServices$Broken")
                .contains("model file iris.onnx not found");
        assertProblem(http.postJson("/v1/services/broken/predict", "{}"), 404, "unknown-service");
    }

    @Test
    void aBodyThatIsNotAJarIsRefused() throws IOException {
        var response = http.deploy("hello, not a jar".getBytes());

        assertProblem(response, 422, "invalid-service");
        assertThat(Http.json(response).path("detail").asText()).contains("as a jar");
        assertThat(jarsKept()).as("a refused jar is not kept").isEmpty();
    }

    /** The jars kept under the data dir. */
    private List<String> jarsKept() throws IOException {
        var jars = flowhost.dataDir().resolve("jars");
        if (!Files.isDirectory(jars)) {
            return List.of();
        }
        try (var files = Files.list(jars)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    @Test
    void anEmptyDeployIs400AndAWrongContentType415() {
        assertProblem(http.deploy(new byte[0]), 400, "bad-request");
        var response = http.send(http.request("/v1/deployments")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertProblem(response, 415, "unsupported-media-type");
    }

    @Test
    void aNewVersionReplacesTheOldOneOnlyOnceItIsReady() throws IOException {
        var first = http.deploy(TestJars.exampleBytes("echo"));
        assertThat(first.statusCode()).isEqualTo(201);
        var broken = TestJars.of(TestServices.Broken.class);
        assertThat(http.deploy(broken).statusCode()).isEqualTo(422);
        assertThat(jarsKept())
                .as("the working version's jar is kept, the broken one's is not")
                .containsExactly(Http.json(first).path("jarSha256").asText() + ".jar");

        var second = http.deploy(TestJars.exampleBytes("echo"));

        assertThat(Http.json(second).path("id").asText()).isEqualTo("echo-v2");
        assertThat(Http.json(http.get("/v1/deployments/echo-v1")).path("state").asText())
                .isEqualTo("retired");
        assertThat(Http.json(http.get("/v1/services/echo")).path("deployment").asText())
                .isEqualTo("echo-v2");
        assertThat(http.postJson("/v1/services/echo/echo", "{\"v\":2}").body()).isEqualTo("{\"v\":2}");
    }

    @Test
    void anUndeployedServiceIsGone() {
        http.deploy(TestJars.exampleBytes("echo"));

        var response = http.send(http.request("/v1/deployments/echo-v1").DELETE());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).path("state").asText()).isEqualTo("retired");
        assertProblem(http.postJson("/v1/services/echo/echo", "{}"), 404, "unknown-service");
    }

    @Test
    void aCrashedInstancesCallInProgressGets502AndTheNextCallGetsAFreshInstance() {
        http.deploy(TestJars.of(TestServices.Trouble.class, TestServices.Order.class));
        var first = Http.json(http.get("/v1/services/trouble"))
                .path("instances")
                .path(0)
                .path("id")
                .asText();

        // The handler halts its own JVM: the call in progress cannot be answered by anyone.
        assertProblem(http.postJson("/v1/services/trouble/exit", "{}"), 502, "instance-failed");

        // Replaced if still needed: this call needs it, waits for it, and is answered.
        var next = http.get("/v1/services/trouble/greeting");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        var instances = Http.json(http.get("/v1/services/trouble")).path("instances");
        assertThat(instances.findValuesAsText("id")).doesNotContain(first);
    }
}
