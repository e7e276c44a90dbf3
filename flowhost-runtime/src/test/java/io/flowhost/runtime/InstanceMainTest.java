package io.flowhost.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.flowhost.runtime.internal.JarFetch;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceMainTest {

    @TempDir
    Path dir;

    public record Greeting(String text) {}

    public record Name(String name) {}

    @Service(name = "greeter")
    public static class Greeter {

        @Endpoint(example = "{\"name\": \"Ada\"}")
        public Greeting greet(Name name) {
            return new Greeting("Hello, " + name.name());
        }

        @Endpoint
        public Map<String, Object> info() {
            return Map.of("version", 1);
        }
    }

    @Service(name = "broken")
    public static class BrokenRoutes {

        @Endpoint("predict")
        public Greeting predict(Name name) {
            return null;
        }

        @Endpoint("predict")
        public Greeting classify(Name name) {
            return null;
        }
    }

    // ---- parsing the command line ---------------------------------------------------------

    @Test
    void everyOptionIsParsedIntoTheInstanceOptions() {
        var parsed = InstanceMain.parse(new String[] {
            "--jar", "target/iris.jar", "--class", "com.acme.IrisService", "--host", "0.0.0.0",
            "--port", "8081", "--port-file", "run/port", "--max-body", "1024",
            "--set", "threshold=0.7", "--set", "url=http://x/?a=b", "--exit-with-parent", "--describe"
        });

        var options = parsed.options();
        assertThat(options.jar()).isEqualTo(Path.of("target/iris.jar"));
        assertThat(options.className()).isEqualTo("com.acme.IrisService");
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.port()).isEqualTo(8081);
        assertThat(options.portFile()).isEqualTo(Path.of("run/port"));
        assertThat(options.maxBody()).isEqualTo(1024);
        assertThat(options.settings())
                .containsExactlyInAnyOrderEntriesOf(Map.of("threshold", "0.7", "url", "http://x/?a=b"));
        assertThat(options.exitWithParent()).isTrue();
        assertThat(parsed.describe()).isTrue();
    }

    @Test
    void withOnlyAJarTheDefaultsAreLoopbackAnyPortAndSixteenMebibytes() {
        var parsed = InstanceMain.parse(new String[] {"--jar", "service.jar"});

        var options = parsed.options();
        assertThat(options.className()).isNull();
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isZero();
        assertThat(options.portFile()).isNull();
        assertThat(options.maxBody()).isEqualTo(16 * 1024 * 1024);
        assertThat(options.settings()).isEmpty();
        assertThat(options.exitWithParent()).isFalse();
        assertThat(parsed.describe()).isFalse();
    }

    @Test
    void helpIsParsedAsNoOptions() {
        assertThat(InstanceMain.parse(new String[] {"--jar", "service.jar", "--help"}))
                .isNull();
    }

    @Test
    void anUnknownOptionIsRejectedNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--verbose"}))
                .withMessageContaining("unknown option '--verbose'");
    }

    @Test
    void aPortThatIsNotANumberIsRejectedNamingTheOption() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--port", "eighty"}))
                .withMessageContaining("--port")
                .withMessageContaining("'eighty'")
                .withMessageContaining("a whole number");
    }

    @Test
    void aMaxBodyThatIsNotANumberIsRejectedNamingTheOption() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--max-body", "16MB"}))
                .withMessageContaining("--max-body")
                .withMessageContaining("'16MB'");
    }

    @Test
    void aPortOutOfRangeIsRejectedNamingTheOptionAndTheRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--port", "70000"}))
                .withMessageContaining("--port: 70000")
                .withMessageContaining("0..65535");
    }

    @Test
    void aMaxBodyBelowOneByteIsRejectedNamingTheOption() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--max-body", "0"}))
                .withMessageContaining("--max-body: 0");
    }

    @Test
    void anOptionWithoutItsValueIsRejectedNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar"}))
                .withMessage("--jar: missing value");
    }

    @Test
    void aSettingWithoutKeyAndEqualsSignIsRejectedShowingTheExpectedForm() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--jar", "service.jar", "--set", "=0.7"}))
                .withMessageContaining("--set: '=0.7'")
                .withMessageContaining("key=value");
    }

    @Test
    void neitherJarNorClassIsRejectedNamingBothOptions() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceMain.parse(new String[] {"--port", "8080"}))
                .withMessageContaining("--jar or --class");
    }

    // ---- the real entry point in a child JVM ----------------------------------------------

    @Test
    void describePrintsTheDescriptorAsJsonAndExitsZero() throws Exception {
        var jar = TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class);

        var result = runMain(List.of("--jar", jar.toString(), "--describe"));

        assertThat(result.exitCode())
                .as("exit code; stderr: %s", result.stderr())
                .isZero();
        var descriptor = TestHttp.parse(result.stdout());
        assertThat(descriptor.get("service").asText()).isEqualTo("greeter");
        assertThat(descriptor.get("className").asText()).isEqualTo(Greeter.class.getName());
        var endpoints = new ArrayList<String>();
        descriptor
                .get("endpoints")
                .forEach(e -> endpoints.add(e.get("method").asText() + " "
                        + e.get("name").asText() + " " + e.get("example").asText()));
        assertThat(endpoints).containsExactlyInAnyOrder("POST greet {\"name\": \"Ada\"}", "GET info ");
    }

    @Test
    void describeOfAServiceWithTwoEndpointsOnOneRouteExitsTwoNamingTheClassAndMethods() throws Exception {
        var jar = TestJars.write(dir.resolve("broken.jar"), BrokenRoutes.class, Greeting.class, Name.class);

        var result = runMain(List.of("--jar", jar.toString(), "--describe"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr())
                .contains("cannot serve")
                .contains(BrokenRoutes.class.getName() + ".predict(Name)")
                .contains(BrokenRoutes.class.getName() + ".classify(Name)");
    }

    @Test
    void anUnknownOptionExitsThreeNamingIt() throws Exception {
        var result = runMain(List.of("--jar", "service.jar", "--verbose"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).contains("unknown option '--verbose'").contains("--help");
    }

    @Test
    void theInstanceServesOnThePortItWritesToThePortFile() throws Exception {
        var jar = TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class);
        var portFile = dir.resolve("port");

        var process = startMain(List.of("--jar", jar.toString(), "--port-file", portFile.toString()));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(portFile) || !process.isAlive());
            assertThat(process.isAlive())
                    .as("instance still running; stderr: %s", stderr())
                    .isTrue();
            int port = Integer.parseInt(Files.readString(portFile).trim());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestHttp.get(port, "/readyz").statusCode() == 200);

            var response = TestHttp.post(port, "/v1/services/greeter/greet", "{\"name\": \"Ada\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(TestHttp.json(response).get("text").asText()).isEqualTo("Hello, Ada");
            // Netty's allocator events are off: its first buffer no longer sets up the Flight Recorder (60 ms).
            assertThat(loadedClasses(process.pid())).doesNotContain("jdk.jfr.internal.MetadataRepository");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInstanceAskedForAServedMarkerWritesItAtItsFirstCallNotBefore() throws Exception {
        var jar = TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class);
        var portFile = dir.resolve("port");
        var marker = dir.resolve("served");

        var process = startMain(
                List.of("-D" + InstanceMain.SERVED_MARKER + "=" + marker),
                List.of("--jar", jar.toString(), "--port-file", portFile.toString()),
                Map.of());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(portFile) || !process.isAlive());
            int port = Integer.parseInt(Files.readString(portFile).trim());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestHttp.get(port, "/readyz").statusCode() == 200);
            assertThat(marker).as("probes are not calls").doesNotExist();

            TestHttp.post(port, "/v1/services/greeter/greet", "{\"name\": \"Ada\"}");

            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(marker));
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The classes a JVM has loaded, as {@code jcmd <pid> VM.class_hierarchy} lists them. */
    private static String loadedClasses(long pid) throws Exception {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var process = new ProcessBuilder(jcmd, Long.toString(pid), "VM.class_hierarchy")
                .redirectErrorStream(true)
                .start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).as("the listing names the JDK's own classes").contains("java.lang.String");
        return out;
    }

    @Test
    void anInstanceInAPodFetchesItsJarWithItsTokenAndServesIt() throws Exception {
        var jar = Files.readAllBytes(
                TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class));
        var gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/v1/deployments/greeter-v1/jar", exchange -> {
            boolean allowed = "Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(allowed ? 200 : 401, allowed ? jar.length : -1);
            if (allowed) {
                exchange.getResponseBody().write(jar);
            }
            exchange.close();
        });
        gateway.start();
        var portFile = dir.resolve("port");
        var process = startMain(
                List.of(
                        "--jar-url",
                        "http://127.0.0.1:" + gateway.getAddress().getPort() + "/v1/deployments/greeter-v1/jar",
                        "--jar-sha256",
                        JarFetch.sha256(jar),
                        "--port-file",
                        portFile.toString()),
                Map.of(JarFetch.TOKEN_VARIABLE, "t0ken"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(portFile) || !process.isAlive());
            assertThat(process.isAlive())
                    .as("instance still running; stderr: %s", stderr())
                    .isTrue();
            int port = Integer.parseInt(Files.readString(portFile).trim());

            var response = TestHttp.post(port, "/v1/services/greeter/greet", "{\"name\": \"Pod\"}");

            assertThat(TestHttp.json(response).get("text").asText()).isEqualTo("Hello, Pod");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            gateway.stop(0);
        }
    }

    @Test
    void aFetchedJarOfAnotherHashIsNotRun() throws Exception {
        var jar = Files.readAllBytes(
                TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class));
        var gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, jar.length);
            exchange.getResponseBody().write(jar);
            exchange.close();
        });
        gateway.start();
        try {
            var result = runMain(List.of(
                    "--jar-url",
                    "http://127.0.0.1:" + gateway.getAddress().getPort() + "/v1/deployments/greeter-v1/jar",
                    "--jar-sha256",
                    "f".repeat(64)));

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).contains("refusing to run it");
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void withExitWithParentTheInstanceExitsWhenItsStandardInputCloses() throws Exception {
        var jar = TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class);
        var portFile = dir.resolve("port");

        var process =
                startMain(List.of("--jar", jar.toString(), "--port-file", portFile.toString(), "--exit-with-parent"));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(portFile) || !process.isAlive());
            assertThat(process.isAlive())
                    .as("instance still running; stderr: %s", stderr())
                    .isTrue();

            process.getOutputStream().close();

            assertThat(process.waitFor(10, TimeUnit.SECONDS))
                    .as("exited after stdin closed")
                    .isTrue();
            // SIGKILLed by itself (128 + 9): no exit hooks, no class-data archive written on the way out.
            assertThat(process.exitValue()).isEqualTo(137);
            assertThat(stderr()).contains("the server that started this instance is gone");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSpareWhoseServerGoesDuringItsWarmUpExitsAtOnceRatherThanWarmingUpFirst() throws Exception {
        var process = startMain(List.of("--spare"));
        try {
            process.getOutputStream().close(); // the server is gone before the warm-up (seconds of CPU) is through

            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("exited after stdin closed; stderr: %s", stderr())
                    .isTrue();
            assertThat(process.exitValue()).isEqualTo(137);
            assertThat(stderr()).contains("standard input closed").doesNotContain("warm spare ready");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJvmStartedToCheckAJarAnswersWhatItOffersThenBecomesItsInstance() throws Exception {
        var jar = TestJars.write(dir.resolve("greeter.jar"), Greeter.class, Greeting.class, Name.class);
        var answer = dir.resolve("answer.json");
        var portFile = dir.resolve("port");

        var process = startMain(List.of(InstanceMain.CHECK));
        try {
            askToCheck(process, jar, answer);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(answer) || !process.isAlive());
            var told = TestHttp.parse(Files.readString(answer));
            assertThat(told.path("service").path("service").asText()).isEqualTo("greeter");
            assertThat(told.path("service").path("className").asText()).isEqualTo(Greeter.class.getName());
            assertThat(process.isAlive()).as("waits to become the instance").isTrue();

            writeLine(process, "[\"--jar\", \"" + jar + "\", \"--port-file\", \"" + portFile + "\"]");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) || !process.isAlive());
            int port = Integer.parseInt(Files.readString(portFile).trim());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestHttp.get(port, "/readyz").statusCode() == 200);
            var response = TestHttp.post(port, "/v1/services/greeter/greet", "{\"name\": \"Ada\"}");
            assertThat(TestHttp.json(response).get("text").asText()).isEqualTo("Hello, Ada");
            assertThat(stderr()).contains("service checked in").doesNotContain("warm spare");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJarThatCannotBeServedIsAnsweredWithTheReasonAndTheCheckingJvmEnds() throws Exception {
        var jar = TestJars.write(dir.resolve("broken.jar"), BrokenRoutes.class, Greeting.class, Name.class);
        var answer = dir.resolve("answer.json");

        var process = startMain(List.of(InstanceMain.CHECK));
        try {
            askToCheck(process, jar, answer);

            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("stderr: %s", stderr())
                    .isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(TestHttp.parse(Files.readString(answer)).path("refused").asText())
                    .contains(BrokenRoutes.class.getName() + ".predict(Name)")
                    .contains(BrokenRoutes.class.getName() + ".classify(Name)");
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---- child JVMs -----------------------------------------------------------------------

    /** Hands a JVM started with {@link InstanceMain#CHECK} a jar to check, its answer to go to {@code answer}. */
    private static void askToCheck(Process process, Path jar, Path answer) throws IOException {
        writeLine(process, "{\"check\": [\"--jar\", \"" + jar + "\"], \"answer\": \"" + answer + "\"}");
    }

    private static void writeLine(Process process, String line) throws IOException {
        var stdin = process.getOutputStream();
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private Process startMain(List<String> args) throws IOException {
        return startMain(args, Map.of());
    }

    private Process startMain(List<String> args, Map<String, String> environment) throws IOException {
        return startMain(List.of(), args, environment);
    }

    private Process startMain(List<String> jvmOptions, List<String> args, Map<String, String> environment)
            throws IOException {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var command = new ArrayList<>(
                List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), InstanceMain.class.getName()));
        command.addAll(args);
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder.redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    private Result runMain(List<String> args) throws Exception {
        var process = startMain(args);
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("InstanceMain " + args + " did not exit within 30 s; stderr: " + stderr());
        }
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout.txt")), stderr());
    }
}
