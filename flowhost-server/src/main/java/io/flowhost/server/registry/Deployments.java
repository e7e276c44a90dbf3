package io.flowhost.server.registry;

import io.flowhost.server.instances.InstanceInfo;
import io.flowhost.server.instances.InstanceStartException;
import io.flowhost.server.instances.InstanceDriver;
import io.flowhost.server.instances.InvalidServiceException;
import io.flowhost.server.instances.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Deploys and undeploys services: keeps each jar under the data dir, checks it, starts its first
 * instance, and only then makes it its service's active deployment, so that a broken version never
 * replaces a working one.
 */
public final class Deployments {

    private static final System.Logger LOG = System.getLogger("flowhost.deployments");

    private final DeploymentStore store;
    private final InstanceDriver driver;
    private final Supervisor supervisor;
    private final Path jars;
    private final Clock clock;

    public Deployments(DeploymentStore store, InstanceDriver driver, Supervisor supervisor, Path dataDir, Clock clock) {
        this.store = store;
        this.driver = driver;
        this.supervisor = supervisor;
        this.jars = dataDir.resolve("jars");
        this.clock = clock;
    }

    /** Starts the instances of every active deployment, in the background (after a restart). */
    public void restore() {
        for (var deployment : store.active()) {
            LOG.log(Level.INFO, "restoring " + deployment.id());
            supervisor.restore(deployment);
        }
    }

    /** Deploys a jar; returns once its first instance is ready and it serves its service's calls. */
    public synchronized Deployment deploy(byte[] jar, String className, Map<String, String> settings)
            throws DeploymentFailedException {
        var sha = sha256(jar);
        var file = keep(jar, sha);
        try {
            var descriptor = driver.describe(file, className);
            int version = store.nextVersion(descriptor.service());
            var deployment = new Deployment(descriptor.service() + "-v" + version, descriptor.service(), version, sha,
                    file, descriptor, settings, Deployment.State.ACTIVE, clock.instant());
            var replaced = store.active().stream().filter(d -> d.service().equals(deployment.service())).toList();
            supervisor.launch(deployment);
            store.activate(deployment);
            replaced.forEach(old -> supervisor.retire(old.id()));
            LOG.log(Level.INFO, "deployed " + deployment.id() + (replaced.isEmpty() ? "" : ", replacing "
                    + replaced.stream().map(Deployment::id).toList()));
            return deployment;
        } catch (InvalidServiceException | InstanceStartException e) {
            throw new DeploymentFailedException(e.getMessage());
        }
    }

    /** Stops serving a deployment and stops its instances. */
    public synchronized Deployment undeploy(String id) throws UnknownDeploymentException {
        var deployment = find(id);
        store.retire(id);
        supervisor.retire(id);
        LOG.log(Level.INFO, "undeployed " + id);
        return deployment.withState(Deployment.State.RETIRED);
    }

    public Deployment find(String id) throws UnknownDeploymentException {
        return store.find(id).orElseThrow(() -> new UnknownDeploymentException(id));
    }

    public List<Deployment> all() {
        return store.all();
    }

    public List<Deployment> active() {
        return store.active();
    }

    public List<InstanceInfo> instances() {
        return supervisor.instances();
    }

    private Path keep(byte[] jar, String sha) {
        var file = jars.resolve(sha + ".jar");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(jars);
                var tmp = Files.createTempFile(jars, sha, ".tmp");
                Files.write(tmp, jar);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the jar under " + jars, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
