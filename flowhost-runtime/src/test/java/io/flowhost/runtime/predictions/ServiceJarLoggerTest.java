package io.flowhost.runtime.predictions;

import static io.flowhost.runtime.TestHttp.get;
import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.Instance;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.Service;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prediction logger packaged inside the service jar itself is found (through the jar's class loader);
 * one that throws on every prediction leaves the calls untouched, one that cannot be loaded stops the start.
 */
class ServiceJarLoggerTest {

    private static final String SERVICE = """
            package jarred;

            import io.flowhost.sdk.Endpoint;
            import io.flowhost.sdk.Service;
            import java.util.Map;

            @Service(name = "jarred")
            public class JarredService {
                @Endpoint
                public Map<String, Object> echo(Map<String, Object> body) {
                    return body;
                }

                @Endpoint
                public Map<String, Object> attempts() {
                    return Map.of("attempts", FailingLogger.ATTEMPTS.get());
                }
            }
            """;

    private static final String LOGGER = """
            package jarred;

            import io.flowhost.sdk.predictions.Prediction;
            import io.flowhost.sdk.predictions.PredictionLogger;
            import java.util.concurrent.atomic.AtomicInteger;

            public class FailingLogger implements PredictionLogger {
                public static final AtomicInteger ATTEMPTS = new AtomicInteger();

                @Override
                public void log(Prediction p) {
                    ATTEMPTS.incrementAndGet();
                    throw new IllegalStateException("the log system is down");
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aThrowingLoggerInTheServiceJarIsCalledForEveryCallAndNoCallNotices() throws Exception {
        try (var instance = Instance.serve(options(serviceJar("jarred.FailingLogger")))) {
            for (int i = 0; i < 20; i++) {
                var response = post(instance.port(), "/v1/services/jarred/echo", "{\"i\": " + i + "}");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(json(response).get("i").asInt()).isEqualTo(i);
            }

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> json(get(instance.port(), "/v1/services/jarred/attempts"))
                                    .get("attempts")
                                    .asInt()
                            >= 20);
        }
    }

    @Test
    void aRegisteredLoggerThatCannotBeLoadedStopsTheStartNamingIt() throws IOException {
        var jar = serviceJar("jarred.NoSuchLogger");

        assertThatThrownBy(() -> Instance.serve(options(jar)))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("cannot load a prediction logger registered in META-INF/services/"
                        + "io.flowhost.sdk.predictions.PredictionLogger")
                .hasMessageContaining("jarred.NoSuchLogger");
    }

    private static InstanceOptions options(Path jar) {
        return new InstanceOptions(
                jar, "jarred.JarredService", "127.0.0.1", 0, null, InstanceOptions.DEFAULT_MAX_BODY, Map.of(), false);
    }

    /** Compiles the service and its logger against the SDK and packs them, registering {@code logger}. */
    private Path serviceJar(String logger) throws IOException {
        var src = Files.createDirectories(dir.resolve("src/jarred"));
        Files.writeString(src.resolve("JarredService.java"), SERVICE);
        Files.writeString(src.resolve("FailingLogger.java"), LOGGER);
        var classes = Files.createDirectories(dir.resolve("classes"));
        var sdk = Path.of(codeSource(Service.class));
        int status = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        classes.toString(),
                        "-cp",
                        sdk.toString(),
                        src.resolve("JarredService.java").toString(),
                        src.resolve("FailingLogger.java").toString());
        assertThat(status).as("javac exit status").isZero();

        var jar = dir.resolve("jarred.jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (var file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.flowhost.sdk.predictions.PredictionLogger"));
            out.write((logger + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static URI codeSource(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
