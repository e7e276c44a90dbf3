package io.flowhost.instances.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.runtime.InstanceMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jars checked in the JVM that is to serve them: in a warm spare if one is idle, else in a JVM started for the check
 * ({@link InstanceMain#CHECK}). That JVM, the service's classes loaded, then waits to become the first instance of the
 * deployment made of the jar: a deploy costs one JVM, not one to check and one to serve, and its first instance starts
 * from a JVM already running. A JVM is only ever the instance of the jar it checked (no two services share one).
 */
final class CheckedJvms {

    private static final Duration POLL = Duration.ofMillis(1);

    /**
     * A JVM that checked a jar and waits to become its first instance.
     *
     * @param className the class it checked (the jar's one service, if none was named)
     * @param warm whether it was a warm spare
     */
    record Checked(WarmSpares.Spare jvm, Path jar, String className, boolean warm) {}

    private final WarmSpares spares;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Path, Checked> waiting = new HashMap<>(); // guarded by this

    CheckedJvms(WarmSpares spares) {
        this.spares = spares;
    }

    /** Checks the service in the jar, and keeps the JVM that checked it for its first instance. */
    ServiceDescriptor check(Path jar, String className, String gateway) throws InvalidServiceException {
        var jvm = spares.take(gateway);
        boolean warm = jvm != null;
        if (jvm == null) {
            try {
                jvm = spares.launchForCheck(gateway);
            } catch (IOException e) {
                throw new InvalidServiceException(
                        "cannot start a JVM to check " + jar.getFileName() + " in: " + e.getMessage());
            }
        }
        ServiceDescriptor descriptor;
        try {
            descriptor = ask(jvm, jar, className);
        } catch (InvalidServiceException | RuntimeException e) {
            discard(jvm);
            throw e;
        }
        Checked before;
        synchronized (this) {
            before = waiting.put(jar, new Checked(jvm, jar, descriptor.className(), warm));
        }
        if (before != null) {
            discard(before.jvm());
        }
        return descriptor;
    }

    /**
     * The live JVM that checked this deployment's jar and class with this gateway in its environment, taken to become
     * its instance; null when none waits.
     */
    Checked take(Deployment deployment, String gateway) {
        if (deployment.jar() == null) {
            return null; // an ONNX model: nothing to check
        }
        Checked found;
        synchronized (this) {
            found = waiting.get(deployment.jar());
            if (found == null
                    || !found.className().equals(deployment.descriptor().className())
                    || !Objects.equals(found.jvm().gateway(), gateway)) {
                return null;
            }
            waiting.remove(deployment.jar());
        }
        if (!found.jvm().process().isAlive()) {
            discard(found.jvm());
            return null;
        }
        return found;
    }

    /** The deploy of this jar is over: a JVM that checked it and did not become its instance stops. */
    void settle(Path jar) {
        Checked left;
        synchronized (this) {
            left = waiting.remove(jar);
        }
        if (left != null) {
            discard(left.jvm());
        }
    }

    /** Stops every JVM still waiting. */
    void discardAll() {
        List<Checked> left;
        synchronized (this) {
            left = new ArrayList<>(waiting.values());
            waiting.clear();
        }
        left.forEach(c -> discard(c.jvm()));
    }

    private void discard(WarmSpares.Spare jvm) {
        WarmSpares.discard(jvm);
        spares.refill(); // a spare taken for a check is replaced once that check's JVM is done with, one way or other
    }

    /** Hands the JVM the jar to check and waits for its answer, written to a file in its folder. */
    private ServiceDescriptor ask(WarmSpares.Spare jvm, Path jar, String className) throws InvalidServiceException {
        var answer = jvm.dir().resolve("check-answer.json");
        var args = new ArrayList<>(List.of("--jar", jar.toString()));
        if (className != null && !className.isBlank()) {
            args.addAll(List.of("--class", className));
        }
        try {
            var pipe = jvm.process().getOutputStream();
            pipe.write(json.writeValueAsBytes(Map.of("check", args, "answer", answer.toString())));
            pipe.write('\n');
            pipe.flush();
        } catch (IOException e) {
            throw new InvalidServiceException("cannot check " + jar.getFileName() + ": its JVM is gone (" + e + ")");
        }
        long deadline = System.nanoTime() + ServiceInspector.TIMEOUT.toNanos();
        while (true) {
            boolean alive = jvm.process().isAlive(); // before looking: an answer written just before an exit is read
            if (Files.exists(answer)) {
                return read(answer);
            }
            if (!alive) {
                throw new InvalidServiceException("checking " + jar.getFileName() + " ended its JVM without an answer: "
                        + ProcessDriver.reason(jvm.dir().resolve("instance.log"), false));
            }
            if (System.nanoTime() > deadline) {
                throw ServiceInspector.timedOut(jar);
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InvalidServiceException("interrupted while checking " + jar.getFileName());
            }
        }
    }

    private ServiceDescriptor read(Path answer) throws InvalidServiceException {
        try {
            var told = json.readTree(Files.readAllBytes(answer));
            Files.delete(answer);
            if (told.has("refused")) {
                throw new InvalidServiceException(told.path("refused").asText());
            }
            return json.treeToValue(told.path("service"), ServiceDescriptor.class);
        } catch (IOException e) {
            throw new InvalidServiceException("cannot read the check's answer " + answer + ": " + e.getMessage());
        }
    }
}
