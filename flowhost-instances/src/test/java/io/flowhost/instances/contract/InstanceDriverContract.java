package io.flowhost.instances.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.instance.ColdStart;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.instances.RunningInstance;
import io.flowhost.wire.netty.UnixSocketHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every instance driver does, whether its instances are child processes or pods: checks a jar without
 * running it, starts an instance that answers at the address it reports, tells when one is gone (stopped or
 * crashed), and stops what it started. Each test starts real instances of the echo example.
 */
public abstract class InstanceDriverContract {

    /** Generous, for a JVM starting on a loaded 2-core machine (or a pod being scheduled). */
    private static final Duration START = Duration.ofSeconds(120);

    /** The driver under test, keeping its files under {@code dataDir}. */
    protected abstract InstanceDriver driver(Path dataDir);

    /** Kills the instance from outside, as a crash would: the process killed, the pod deleted. */
    protected abstract void crash(RunningInstance instance);

    /** The keys of the parts the driver breaks a cold start into, in order. */
    protected abstract List<String> coldStartParts();

    /** Whether the driver's instances take calls on a Unix socket beside their address (on this host only). */
    protected boolean takesCallsOnASocket() {
        return false;
    }

    /** The echo example's jar, as the module's build copies it (maven-dependency-plugin, target/example-jars). */
    protected Path echoJar() {
        var jar = Path.of("target", "example-jars", "flowhost-example-echo.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with ./mvnw verify, which builds it");
        }
        return jar;
    }

    @TempDir
    Path dataDir;

    private InstanceDriver driver;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void open() {
        driver = driver(dataDir);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    /** The driver the tests run against, opened before each. */
    protected InstanceDriver opened() {
        return driver;
    }

    /** A deployment of the service in this jar, as a deploy would record it. */
    protected Deployment deployment(Path jar, String className) throws InvalidServiceException {
        var descriptor = driver.describe(jar, className);
        var scaling = ScalingSettings.defaults().with(Map.of("startup-timeout", START.toSeconds() + "s"));
        return new Deployment(
                descriptor.service() + "-v1",
                descriptor.service(),
                1,
                sha256(jar),
                jar,
                descriptor,
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.now(),
                Map.of(),
                null,
                scaling,
                Retention.defaults());
    }

    /** What a deploy records: a driver whose instances fetch the jar checks it by this. */
    private static String sha256(Path jar) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + jar, e);
        }
    }

    /** Calls the echo example's endpoint on this instance. */
    protected HttpResponse<String> echo(RunningInstance instance, String body) throws Exception {
        var uri = URI.create("http://" + instance.address().getHostString() + ":"
                + instance.address().getPort() + "/v1/services/echo/echo");
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJarIsDescribedWithoutItsServiceBeingConstructed() throws Exception {
        var descriptor = driver.describe(echoJar(), "");

        assertThat(descriptor.service()).isEqualTo("echo");
        assertThat(descriptor.endpoint("echo")).isPresent();
    }

    @Test
    void aJarWithoutAServiceIsRefusedSayingWhatToChange() throws IOException {
        var notAJar = Files.writeString(dataDir.resolve("not-a.jar"), "hello");

        assertThatThrownBy(() -> driver.describe(notAJar, "")).isInstanceOf(InvalidServiceException.class);
    }

    @Test
    void aStartedInstanceAnswersAtItsAddressAndSaysWhereItsStartWent() throws Exception {
        var before = Instant.now();

        var instance = driver.start(deployment(echoJar(), ""), "echo-v1-1");

        assertThat(instance.id()).isEqualTo("echo-v1-1");
        var answer = echo(instance, "{\"hello\":\"world\"}");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(instance.startedAt()).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(instance.coldStart()).isPositive();
        assertThat(instance.exited()).isNotDone();
        var breakdown = Awaitility.await().atMost(START).until(instance::coldStartBreakdown, b -> b != null);
        assertThat(breakdown.parts()).extracting(ColdStart.Part::key).containsExactlyElementsOf(coldStartParts());
        assertThat(breakdown.total()).isEqualTo(instance.coldStart());
    }

    @Test
    void anInstanceOnThisHostTakesCallsOnItsUnixSocketTooAndOneElsewhereHasNone() throws Exception {
        var instance = driver.start(deployment(echoJar(), ""), "echo-v1-1");

        if (!takesCallsOnASocket()) {
            assertThat(instance.socket()).isNull();
            return;
        }
        assertThat(instance.socket()).isNotNull();
        var answer =
                UnixSocketHttp.call(instance.socket(), "POST", "/v1/services/echo/echo", "{\"over\":\"a socket\"}");
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"over\":\"a socket\"}");

        instance.stop(Duration.ofSeconds(10));
        instance.exited().get(30, TimeUnit.SECONDS);
        assertThat(instance.socket()).as("removed as the instance closed").doesNotExist();
    }

    @Test
    void anInstanceWhoseServiceCannotBeConstructedIsNotStartedAndTheReasonIsTold() throws Exception {
        var jar = ServiceJars.of(dataDir, BrokenService.class);
        var broken = deployment(jar, BrokenService.class.getName());

        assertThatThrownBy(() -> driver.start(broken, "broken-v1-1"))
                .isInstanceOf(InstanceStartException.class)
                .hasMessageContaining("model file iris.onnx not found");
    }

    @Test
    void aStoppedInstanceExitsAndItsAddressNoLongerAnswers() throws Exception {
        var instance = driver.start(deployment(echoJar(), ""), "echo-v1-1");

        instance.stop(Duration.ofSeconds(10));

        instance.exited().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> echo(instance, "{}")).isInstanceOf(ConnectException.class);
    }

    @Test
    void anInstanceThatCrashesIsReportedGone() throws Exception {
        var instance = driver.start(deployment(echoJar(), ""), "echo-v1-1");

        crash(instance);

        assertThat(instance.exited().get(30, TimeUnit.SECONDS)).isNotZero();
    }

    @Test
    void closingTheDriverStopsEveryInstanceItStarted() throws Exception {
        var deployment = deployment(echoJar(), "");
        var first = driver.start(deployment, "echo-v1-1");
        var second = driver.start(deployment, "echo-v1-2");

        driver.close();

        first.exited().get(30, TimeUnit.SECONDS);
        second.exited().get(30, TimeUnit.SECONDS);
    }
}
