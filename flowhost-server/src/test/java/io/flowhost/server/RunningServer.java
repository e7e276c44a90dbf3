package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real flowhost server for a test: on port 0, in a data dir of its own, stopped (with its instances) and
 * its data dir removed afterwards. Registered on a static field it serves the whole class, on an instance
 * field each test.
 *
 * <pre>{@code
 * @RegisterExtension final RunningServer flowhost = new RunningServer(s -> s.withMaxBody(1024 * 1024));
 *
 * @Test void echoes() {
 *     flowhost.deploy(TestJars.exampleBytes("echo"));
 *     assertThat(flowhost.http().postJson("/v1/services/echo/echo", "{}").statusCode()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>Calls that must run at the same time go through {@link #async}: on virtual threads of the test's own,
 * never on the common pool, whose single thread on a 2-core machine would serialize them.
 */
public final class RunningServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final UnaryOperator<ServerSettings> configure;
    private Path dataDir;
    private FlowhostServer server;
    private Http http;
    private ExecutorService callers;
    private boolean perClass;
    private SSLContext trust;

    /** A server with the default settings, on port 0 and with no warm spare ({@link TestSettings}). */
    public RunningServer() {
        this(UnaryOperator.identity());
    }

    /** A server whose settings ({@link TestSettings#defaults}, in its data dir) are changed first by {@code configure}. */
    public RunningServer(UnaryOperator<ServerSettings> configure) {
        this.configure = configure;
    }

    /** With TLS on: {@link #http()} trusts the server's certificate through this context (and prefers HTTP/2). */
    public RunningServer trusting(SSLContext context) {
        this.trust = context;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    private void start() {
        try {
            dataDir = Files.createTempDirectory("flowhost-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        callers = Executors.newVirtualThreadPerTaskExecutor();
        launch();
    }

    private void launch() {
        server = FlowhostServer.start(configure.apply(TestSettings.defaults(dataDir)));
        http = trust == null ? new Http(server.uri()) : new Http(server.uri(), trust, HttpClient.Version.HTTP_2);
    }

    /** Stops the server as a shutdown would, and starts it again on the same data dir (and another port). */
    public void restart() {
        server.close();
        launch();
    }

    private void stop() {
        callers.shutdownNow();
        if (server != null) {
            server.close();
            server = null;
        }
        deleteQuietly(dataDir);
    }

    public FlowhostServer server() {
        return server;
    }

    /** A client of the server. */
    public Http http() {
        return http;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Deploys a jar, failing the test with the server's answer unless it is deployed. */
    public JsonNode deploy(byte[] jar) {
        return deploy(jar, "");
    }

    /** Deploys a jar with a query ({@code ?min-instances=1}), failing the test unless it is deployed. */
    public JsonNode deploy(byte[] jar, String query) {
        HttpResponse<String> response = http.deploy(jar, query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Http.json(response);
    }

    /** Runs a blocking call on a virtual thread of this test's, so that several can be in flight at once. */
    public <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, callers);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a file an instance still writes as it exits: the OS's temp cleanup takes the rest
        }
    }
}
