package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.metaflow.Datastore;
import io.flowhost.server.FlowhostServer;
import io.flowhost.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flowhost command against a real server, as a user types it. */
@Tag("e2e")
class CommandsTest {

    @TempDir
    static Path dataDir;

    static FlowhostServer server;
    static String url;

    @BeforeAll
    static void start() {
        server = FlowhostServer.start(ServerSettings.defaults(dataDir).withPort(0));
        url = server.uri().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Run(int exitCode, String out, String err) {}

    /** {@code flowhost server --port 0 --data-dir DIR} with more arguments, run as {@link #run} runs it. */
    static Run server(Path dataDir, String... more) {
        var args = new ArrayList<>(List.of("server", "--port", "0", "--data-dir", dataDir.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    static synchronized Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var oldOut = System.out;
        var oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            var cli = Main.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path echoJar() {
        var jar = Path.of("../examples/echo/target/echo-service.jar")
                .toAbsolutePath()
                .normalize();
        assertThat(jar).exists();
        return jar;
    }

    @Test
    void deployThenInvokeThenList() {
        var deploy = run("deploy", echoJar().toString(), "--server", url);
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("Deployed echo-v").contains("POST " + url + "/v1/services/echo/echo");

        var invoke = run("invoke", "echo/echo", "-d", "{\"hello\": \"cli\"}", "--server", url);
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.out()).contains("\"hello\" : \"cli\"");

        var list = run("list", "--server", url);
        assertThat(list.exitCode()).isZero();
        assertThat(list.out())
                .contains("DEPLOYMENT")
                .containsPattern("echo-v\\d+ +echo +active +1/1 ready +- +POST echo");
    }

    @Test
    void aCanaryIsDeployedFollowedSteppedAndPromotedFromTheCommandLine() {
        assertThat(run("deploy", echoJar().toString(), "--server", url).exitCode())
                .isZero();
        var canary = run("deploy", echoJar().toString(), "--canary", "30", "--server", url);
        assertThat(canary.exitCode()).as(canary.err()).isZero();
        assertThat(canary.out())
                .contains("as a canary beside the current version: 30% of calls")
                .contains("'flowhost rollout status echo'");
        for (int i = 0; i < 10; i++) {
            assertThat(run("invoke", "echo/echo", "-d", "{}", "--server", url).exitCode())
                    .isZero();
        }

        var status = run("rollout", "status", "echo", "--server", url);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out())
                .containsPattern("echo: canary echo-v\\d+ held at 30%")
                .contains("VERSION")
                .containsPattern("echo-v\\d+ +primary +70%")
                .containsPattern("echo-v\\d+ +canary +30%")
                .contains("History:")
                .contains("canary at 30%, held there");

        var start = run("rollout", "start", "echo", "--steps", "30,100", "--bake", "1h", "--server", url);
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(start.out()).containsPattern("running at 30%, steps 30,100 % baking 1h each \\(at step 1\\)");

        var promote = run("rollout", "promote", "echo", "--server", url);
        assertThat(promote.exitCode()).as(promote.err()).isZero();
        assertThat(promote.out()).containsPattern("echo: canary echo-v\\d+ promoted at 100%");

        var again = run("rollout", "promote", "echo", "--server", url);
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("no canary or shadow rolling out").contains("--canary 10");
        var unknown = run("rollout", "frobnicate", "echo", "--server", url);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("use status, start, pause, promote or rollback");
    }

    @Test
    void aTableIsUploadedInBatchesListedLookedUpRolledBackAndDropped() throws Exception {
        var rows = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            rows.append("{\"user\": ")
                    .append(i)
                    .append(", \"items\": [")
                    .append(i % 7)
                    .append("]}\n");
        }
        var file = Files.writeString(dataDir.resolve("recs.jsonl"), rows);
        var first = run(
                "table",
                "load",
                "recs",
                file.toString(),
                "--key",
                "user",
                "--key-type",
                "integer",
                "--value",
                "items",
                "--server",
                url);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("25,000 rows sent");
        assertThat(first.out())
                .contains("Published recs version 1: 25,000 rows (integer keys)")
                .contains("look up: curl " + url + "/v1/tables/recs/KEY");
        var second = run(
                "table", "load", "recs", file.toString(), "--key", "user", "--key-type", "integer", "--server", url);
        assertThat(second.exitCode()).as(second.err()).isZero();

        var list = run("table", "list", "--server", url);
        assertThat(list.out()).contains("TABLE").containsPattern("recs +2 +25,000 .* 1 +" + url);
        var get = run("table", "get", "recs", "0010", "99999", "--server", url);
        assertThat(get.out()).contains("\"10\" : {").contains("\"missing\" : [ \"99999\" ]");
        var back = run("table", "rollback", "recs", "--server", url);
        assertThat(back.out()).contains("recs serves version 1 again (25,000 rows from " + url + ")");
        assertThat(run("table", "get", "recs", "10", "--server", url).out()).contains("\"10\" : [ 3 ]");

        var wrong = run("table", "load", "recs", file.toString(), "--key", "name", "--server", url);
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("line 1: no 'name' (name the key field with --key)");
        var missing = run("table", "load", "recs", "no-such.jsonl", "--server", url);
        assertThat(missing.err()).contains("'no-such.jsonl' is no file here");
        var left = run("table", "list", "--server", url, "--json");
        assertThat(left.out()).contains("\"state\" : \"failed\"").contains("abandoned by local");
        assertThat(run("table", "drop", "recs", "--server", url).out()).contains("Dropped recs (3 versions)");
        assertThat(run("table", "list", "--server", url).out()).contains("No tables yet");
    }

    @Test
    void podResourcesGoWithADeployAndABadOneIsRefusedNamingIt() {
        var bad = run("deploy", echoJar().toString(), "--gpu", "lots", "--server", url);
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("gpu: 'lots'");

        var good = run("deploy", echoJar().toString(), "--gpu", "1", "--memory", "4Gi", "--server", url);
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(run("list", "--server", url).exitCode()).isZero();
    }

    @Test
    void statusShowsInstancesAndTheLastScalingDecision() {
        assertThat(run("deploy", echoJar().toString(), "--server", url).exitCode())
                .isZero();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> run("status", "echo", "--server", url).out().contains("scaling:"));

        var status = run("status", "echo", "--server", url);

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out())
                .containsPattern("Leader: \\S+/\\d+ http://127\\.0\\.0\\.1:\\d+ \\(term \\d+\\)")
                .contains("echo (echo-v")
                .contains("in flight")
                .contains("INSTANCE")
                .containsPattern("echo-v\\d+-\\d+ +ready")
                // the server's warm spare became the instance (or, were it not started yet, a JVM of its own)
                .containsPattern("\\d+ ms \\((spare handoff \\d+|process start \\d+, JVM to main \\d+), listening \\d+,"
                        + " constructor \\d+, readiness \\d+\\)");
    }

    @Test
    void anAsyncInvokeIsQueuedAndItsRequestFetchedListedAndRefusedCancellationOnceDone() throws Exception {
        assertThat(run("deploy", echoJar().toString(), "--server", url).exitCode())
                .isZero();

        var invoke = run("invoke", "echo/echo", "--async", "-d", "{\"later\": 1}", "--server", url);

        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.err()).contains("flowhost requests get");
        var id = new ObjectMapper().readTree(invoke.out()).path("id").asText();
        assertThat(id)
                .as("invoke printed '%s', and '%s'", invoke.out(), invoke.err())
                .isNotEmpty();
        var got = run("requests", "get", id, "--wait", "30s", "--server", url);
        assertThat(got.out())
                .as("exit %d, err: %s", got.exitCode(), got.err())
                .contains("\"state\" : \"succeeded\"")
                .contains("\"later\" : 1");
        assertThat(run("requests", "list", "echo", "--server", url).out())
                .contains(id)
                .contains("succeeded");
        var cancel = run("requests", "cancel", id, "--server", url);
        assertThat(cancel.exitCode()).isEqualTo(1);
        assertThat(cancel.err()).contains("409").contains("only a queued request can be cancelled");
    }

    @Test
    void invokeReadsTheBodyFromAFile(@TempDir Path dir) throws Exception {
        assertThat(run("deploy", echoJar().toString(), "--server", url).exitCode())
                .isZero();
        var body = Files.writeString(dir.resolve("body.json"), "{\"from\": \"file\"}");

        var invoke = run("invoke", "echo/echo", "-d", "@" + body, "--server", url);

        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.out()).contains("\"from\" : \"file\"");
    }

    @Test
    void aFailedCallPrintsTheProblemAndExitsNonZero() {
        var invoke = run("invoke", "nope/predict", "-d", "{}", "--server", url);

        assertThat(invoke.exitCode()).isEqualTo(1);
        assertThat(invoke.err()).contains("404 Unknown service").contains("'nope'");
    }

    @Test
    void aMissingServerIsExplained() {
        var list = run("list", "--server", "http://127.0.0.1:1");

        assertThat(list.exitCode()).isEqualTo(1);
        assertThat(list.err())
                .contains("no flowhost server at http://127.0.0.1:1")
                .contains("flowhost server");
    }

    @Test
    void aMissingJarIsExplained() {
        var deploy = run("deploy", "no-such.jar", "--server", url);

        assertThat(deploy.exitCode()).isEqualTo(2);
        assertThat(deploy.err()).contains("no file").contains("no-such.jar");
    }

    @Test
    void aMalformedTargetIsExplained() {
        var invoke = run("invoke", "just-a-service", "--server", url);

        assertThat(invoke.exitCode()).isEqualTo(2);
        assertThat(invoke.err()).contains("SERVICE/ENDPOINT");
    }

    @Test
    void deployOnnxServesAModelFromTheDatastore(@TempDir Path dir) {
        try (var withDatastore = FlowhostServer.start(ServerSettings.defaults(dir)
                .withPort(0)
                .withMetaflow(Datastore.DatastoreOptions.of(MetaflowCommandTest.ROOT)))) {
            var deploy = run(
                    "deploy",
                    "--onnx",
                    "metaflow://IrisFlow/latest/end/model_onnx",
                    "--name",
                    "iris-onnx",
                    "--server",
                    withDatastore.uri().toString());

            assertThat(deploy.exitCode()).as(deploy.err()).isZero();
            assertThat(deploy.out())
                    .contains("Deployed iris-onnx-v1 (metaflow://IrisFlow/1795691852170532/end/model_onnx)")
                    .contains("/v2/models/iris-onnx/infer");
            var list = run("list", "--server", withDatastore.uri().toString());
            assertThat(list.out())
                    .containsPattern("iris-onnx-v1 +iris-onnx +active +1/1 ready +IrisFlow/1795691852170532 +v2 infer");
        }
    }

    @Test
    void deployWithAPredictionSampleRateLogsTheCallsAsPredictions(@TempDir Path dir) throws Exception {
        try (var own = FlowhostServer.start(ServerSettings.defaults(dir).withPort(0))) {
            var ownUrl = own.uri().toString();
            var deploy = run("deploy", echoJar().toString(), "--prediction-sample-rate", "1", "--server", ownUrl);
            assertThat(deploy.exitCode()).as(deploy.err()).isZero();
            assertThat(run("invoke", "echo/echo", "-d", "{\"logged\": 7}", "--server", ownUrl)
                            .exitCode())
                    .isZero();

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (var files = Files.walk(dir.resolve("predictions"))) {
                    return files.filter(p -> p.toString().endsWith(".jsonl")).anyMatch(p -> {
                        try {
                            return Files.readString(p).contains("\"logged\":7");
                        } catch (IOException e) {
                            return false;
                        }
                    });
                } catch (IOException e) {
                    return false;
                }
            });

            var bad = run("deploy", echoJar().toString(), "--prediction-sample-rate", "2", "--server", ownUrl);
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("prediction-sample-rate");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "server",
                "serve",
                "deploy",
                "list",
                "invoke",
                "undeploy",
                "status",
                "simulate",
                "requests",
                "requests get",
                "requests list",
                "requests cancel",
                "metaflow",
                "metaflow runs",
                "metaflow show",
                "tokens",
                "tokens create",
                "tokens list",
                "tokens revoke"
            })
    void everyCommandHasHelp(String command) {
        var args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        var help = run(args.toArray(String[]::new));

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: flowhost " + command).contains("--help");
    }
}
