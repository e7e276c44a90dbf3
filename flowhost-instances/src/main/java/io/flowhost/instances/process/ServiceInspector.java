package io.flowhost.instances.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.runtime.InstanceMain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks a service jar in a short-lived child JVM ({@code InstanceMain --describe}), so that
 * user code never runs inside the server; it reports what the jar offers or what is wrong with it.
 */
public final class ServiceInspector {

    /** How long a check may take before the deploy is refused, in a JVM of its own or the one that then serves. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final JavaCommand java;
    private final ObjectMapper json = new ObjectMapper();

    ServiceInspector(JavaCommand java) {
        this.java = java;
    }

    /** The refusal of a jar whose check took longer than {@link #TIMEOUT}. */
    static InvalidServiceException timedOut(Path jar) {
        return new InvalidServiceException("checking " + jar.getFileName() + " took over " + TIMEOUT.toSeconds()
                + " s; does a static initializer of the service class block?");
    }

    /** The service in the jar, checked but not constructed. */
    public ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException {
        var args = new ArrayList<String>();
        args.add("--describe");
        args.add("--jar");
        args.add(jar.toString());
        if (className != null && !className.isBlank()) {
            args.add("--class");
            args.add(className);
        }
        try {
            var process = new ProcessBuilder(java.command(InstanceMain.class.getName(), args)).start();
            process.getOutputStream().close();
            // Read standard error alongside standard output, so that neither pipe fills up and blocks the child.
            var stderrText = new CompletableFuture<String>();
            Thread.ofVirtual().start(() -> {
                try {
                    stderrText.complete(new String(process.getErrorStream().readAllBytes()).strip());
                } catch (IOException e) {
                    stderrText.complete("(standard error unreadable: " + e.getMessage() + ")");
                }
            });
            var stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw timedOut(jar);
            }
            var stderr = stderrText.join();
            if (process.exitValue() != 0) {
                throw new InvalidServiceException(stderr.replaceFirst("^flowhost-instance: (cannot serve: )?", ""));
            }
            return json.readValue(stdout, ServiceDescriptor.class);
        } catch (IOException e) {
            throw new InvalidServiceException("cannot check " + jar + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidServiceException("interrupted while checking " + jar);
        }
    }
}
