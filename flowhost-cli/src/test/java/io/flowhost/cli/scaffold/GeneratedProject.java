package io.flowhost.cli.scaffold;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A project written by flowhost new, compiled and tested in-process as its Maven build would: javac with
 * {@code --release 21} against the SDK jar first, then its JUnit tests.
 */
public final class GeneratedProject {

    private final Path dir;

    public GeneratedProject(Path dir) {
        this.dir = dir;
    }

    /**
     * Compiles src/main and src/test into target/, failing with javac's messages.
     *
     * @param sdk the SDK jar, ahead of this JVM's class path (which brings JUnit)
     */
    public Path compile(Path sdk) throws IOException {
        var classes = dir.resolve("target/all-classes");
        Files.createDirectories(classes);
        var sources = new ArrayList<String>();
        try (Stream<Path> files = Files.walk(dir.resolve("src"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
        }
        var args = new ArrayList<>(List.of(
                "--release",
                "21",
                "-Xlint:all",
                "-Werror",
                "-proc:none",
                "-d",
                classes.toString(),
                "-cp",
                sdk + File.pathSeparator + System.getProperty("java.class.path")));
        args.addAll(sources);
        var errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("javac failed on " + dir + "\n" + errors.toString(StandardCharsets.UTF_8));
        }
        var resources = dir.resolve("src/test/resources");
        if (Files.isDirectory(resources)) {
            try (Stream<Path> files = Files.walk(resources)) {
                for (var file : files.filter(Files::isRegularFile).toList()) {
                    var copy = classes.resolve(resources.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                }
            }
        }
        return classes;
    }

    /** Runs the project's JUnit tests in the package from the compiled classes; the summary says what passed. */
    public TestExecutionSummary test(Path classes, String packageName) throws IOException {
        var listener = new SummaryGeneratingListener();
        var previous = Thread.currentThread().getContextClassLoader();
        try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, previous)) {
            Thread.currentThread().setContextClassLoader(loader);
            var request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage(packageName))
                    .build();
            LauncherFactory.create().execute(request, listener);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return listener.getSummary();
    }
}
