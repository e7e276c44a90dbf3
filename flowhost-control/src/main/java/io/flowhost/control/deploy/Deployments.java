package io.flowhost.control.deploy;

import io.flowhost.control.supervise.Supervisor;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.domain.instance.InstanceInfo;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.BreakingChangeException;
import io.flowhost.domain.service.SchemaChanges;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.BatchSettings;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.instances.RunningInstance;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.state.Cluster;
import io.flowhost.state.DeploymentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deploys and undeploys services: keeps each jar under the data dir, checks it, starts its first
 * instance, and only then makes it its service's active deployment, so that a broken version never
 * replaces a working one.
 */
public final class Deployments {

    private static final System.Logger LOG = System.getLogger("flowhost.deployments");

    private final DeploymentStore store;
    private final Cluster cluster;
    private final InstanceDriver driver;
    private final Supervisor supervisor;
    private final Path jars;
    private final CheckedJars checkedJars = new CheckedJars(64);
    /** Jars this gateway dropped, not to be dropped again at every deploy (guarded by this). */
    private final Set<String> droppedJars = new HashSet<>();
    /** Deployments whose first instance is starting, not yet recorded: their pods fetch their jars meanwhile. */
    private final Map<String, Deployment> launching = new ConcurrentHashMap<>();

    private final Clock clock;
    private final ArtifactPins artifactPins;
    private final ScalingSettings scalingDefaults;
    private final ArtifactRoots artifactRoots;
    private final int retiredJarsKept;

    /**
     * @param artifactRoots the folders {@code file:} references in settings and models may name
     * @param scalingDefaults the scaling every deployment starts from, before its service's annotation
     *                        and its own settings (the server's startup timeout is in it)
     * @param retiredJarsKept how many retired versions of each service keep their jars (the newest): enough to look
     *                        at what ran lately, without the jar of every version ever deployed filling the disk
     */
    public Deployments(
            DeploymentStore store,
            Cluster cluster,
            InstanceDriver driver,
            Supervisor supervisor,
            Path dataDir,
            DatastoreOptions metaflow,
            ArtifactRoots artifactRoots,
            ScalingSettings scalingDefaults,
            int retiredJarsKept,
            Clock clock) {
        this.artifactRoots = artifactRoots;
        this.scalingDefaults = scalingDefaults;
        this.retiredJarsKept = retiredJarsKept;
        this.store = store;
        this.cluster = cluster;
        this.driver = driver;
        this.supervisor = supervisor;
        this.jars = dataDir.resolve("jars");
        this.artifactPins = new ArtifactPins(metaflow);
        this.clock = clock;
    }

    /**
     * Supervises every active deployment again (after a restart, or on taking the lead from another gateway); the
     * autoscaler starts what they need. A jar this server has no copy of (it was deployed through a gateway on
     * another host) is fetched from the state first. Returns the ids of those not restored yet, the state or the
     * disk having failed their jar's copy for now, for {@link #restore(Collection)} to try again.
     */
    public List<String> restore() {
        return restore(store.active());
    }

    /** Tries again to restore those of these deployments that are still active; the ids of those still not restored. */
    public List<String> restore(Collection<String> ids) {
        return restore(store.active().stream().filter(d -> ids.contains(d.id())).toList());
    }

    private List<String> restore(List<Deployment> deployments) {
        var unrestored = new ArrayList<String>();
        for (var deployment : deployments) {
            LOG.log(Level.INFO, "restoring " + deployment.id());
            try {
                supervisor.supervise(withLocalJar(deployment));
            } catch (IllegalStateException e) {
                LOG.log(Level.ERROR, "cannot restore " + deployment.id() + ": " + e.getMessage() + "; deploy it again");
            } catch (RuntimeException e) {
                // the state or the disk failed the jar's copy for now: one deployment waits, not the whole takeover
                LOG.log(
                        Level.WARNING,
                        "cannot restore " + deployment.id() + " yet (" + e.getMessage() + "); trying again shortly");
                unrestored.add(deployment.id());
            }
        }
        return unrestored;
    }

    private Deployment withLocalJar(Deployment deployment) {
        if (deployment.jar() == null || Files.exists(deployment.jar())) {
            return deployment;
        }
        var sha = deployment.jarSha256();
        var local = jars.resolve(sha + ".jar");
        if (fetch(sha).isEmpty()) {
            throw new IllegalStateException("deployment " + deployment.id() + "'s jar " + sha + " is neither at "
                    + deployment.jar() + " nor kept in the state");
        }
        return deployment.withJar(local);
    }

    /** Deploys a jar; returns once its first instance is ready and it serves its service's calls. */
    public Deployment deploy(byte[] jar, String className, Map<String, String> settings, Map<String, String> scaling)
            throws DeploymentFailedException, InvalidSettingsException, BreakingChangeException {
        return deploy(jar, className, settings, scaling, null);
    }

    /** {@link #deploy(Path, String, Map, Map, String)} of a jar held in memory. */
    public Deployment deploy(
            byte[] jar, String className, Map<String, String> settings, Map<String, String> scaling, String by)
            throws DeploymentFailedException, InvalidSettingsException, BreakingChangeException {
        Path file = null;
        try {
            Files.createDirectories(jars);
            file = Files.write(Files.createTempFile(jars, "deploy-", ".tmp"), jar);
            return deploy(file, className, settings, scaling, by);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the jar under " + jars, e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Deploys the jar in this file (which stays the caller's) for {@code by}; returns once its first instance is ready
     * and it serves its service's calls (all of them, or as a canary or shadow its share). The jar is read as a
     * stream, never held whole in memory: it may be hundreds of MiB.
     */
    public synchronized Deployment deploy(
            Path jar, String className, Map<String, String> settings, Map<String, String> scaling, String by)
            throws DeploymentFailedException, InvalidSettingsException, BreakingChangeException {
        checkScaling(Map.of(), scaling); // the caller's own mistakes first, before any JVM starts
        var rollout = RolloutRequest.from(scaling);
        checkFiles(settings);
        var retention = retention(scaling);
        var access = access(scaling);
        resources(Map.of(), scaling); // the caller's own mistakes first
        var kept = keep(jar);
        var sha = kept.sha256();
        var file = kept.file();
        droppedJars.remove(sha); // deployed again: kept again, until dropped again
        cluster.keepJar(sha, file); // for a gateway on another host that takes the lead later
        boolean deployed = false;
        try {
            var pinned = artifactPins.pin(settings);
            var descriptor = checkedJars.describe(sha, className, () -> driver.describe(file, className));
            if (!"true".equals(scaling.get(SchemaChanges.ALLOW))) {
                refuseBreaking(descriptor);
            }
            var checked = checkScaling(descriptor.scaling(), scaling);
            var resources = resources(descriptor.scaling(), scaling);
            int version = store.nextVersion(descriptor.service());
            var made = activate(
                    rollout,
                    by,
                    new Deployment(
                            descriptor.service() + "-v" + version,
                            descriptor.service(),
                            version,
                            sha,
                            file,
                            descriptor,
                            pinned.settings(),
                            Deployment.State.ACTIVE,
                            clock.instant(),
                            pinned.pins(),
                            null,
                            checked,
                            retention,
                            resources,
                            access));
            deployed = true;
            pruneJars(); // the version this one replaced is retired now
            return made;
        } catch (InvalidServiceException e) {
            throw new DeploymentFailedException(e.getMessage());
        } finally {
            driver.settled(file); // before the jar may go: the JVM that checked it holds it open
            if (!deployed) {
                forgetUnused(sha, file);
            }
        }
    }

    /**
     * Refuses a version whose endpoints would break the callers of the service's running version (its primary), the
     * changes listed; a first version, or one replacing an ONNX model, breaks nobody's contract.
     */
    private void refuseBreaking(ServiceDescriptor next) throws BreakingChangeException {
        var running = store.active().stream()
                .filter(d -> d.service().equals(next.service()))
                .filter(d -> d.variant() == Variant.PRIMARY && !d.servesOnnx())
                .findFirst();
        if (running.isPresent()) {
            var changes = SchemaChanges.breaking(running.get().descriptor(), next);
            if (!changes.isEmpty()) {
                throw new BreakingChangeException(next.service(), running.get().id(), changes);
            }
        }
    }

    /** Refuses a setting that names a file outside the artifact roots. */
    private void checkFiles(Map<String, String> settings) throws InvalidSettingsException {
        for (var setting : settings.entrySet()) {
            artifactRoots.check("setting " + setting.getKey(), setting.getValue());
        }
    }

    /** The async retention keys of a deploy's settings, the defaults filled in and checked. */
    private static Retention retention(Map<String, String> given) throws InvalidSettingsException {
        try {
            return Retention.defaults().with(only(Retention.KEYS, given));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** Who may call the deployment and how often, from a deploy's settings, checked. */
    private static Access access(Map<String, String> given) throws InvalidSettingsException {
        try {
            return Access.open().with(only(Access.KEYS, given));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** What each instance needs of a node (pods only): the service's annotation, then the deploy's own, checked. */
    private static Resources resources(Map<String, String> annotated, Map<String, String> given)
            throws InvalidSettingsException {
        Resources fromAnnotation;
        try {
            fromAnnotation = Resources.none().with(only(Resources.KEYS, annotated));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the @Service annotation's " + e.getMessage());
        }
        try {
            return fromAnnotation.with(only(Resources.KEYS, given));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** The settings among {@code given} whose keys are {@code keys}. */
    private static Map<String, String> only(List<String> keys, Map<String, String> given) {
        var mine = new LinkedHashMap<String, String>();
        given.forEach((key, value) -> {
            if (keys.contains(key)) {
                mine.put(key, value);
            }
        });
        return mine;
    }

    /** The scaling keys only. */
    private static Map<String, String> scalingOnly(Map<String, String> given) {
        var mine = new LinkedHashMap<String, String>(given);
        mine.keySet().removeAll(Retention.KEYS);
        mine.keySet().removeAll(Resources.KEYS);
        mine.keySet().removeAll(Access.KEYS);
        mine.keySet().removeAll(RolloutRequest.KEYS);
        mine.remove(SchemaChanges.ALLOW);
        return mine;
    }

    /** The defaults, then the service's annotation, then the deployment's own settings; each checked. */
    private ScalingSettings checkScaling(Map<String, String> annotated, Map<String, String> allGiven)
            throws InvalidSettingsException {
        var given = scalingOnly(allGiven);
        ScalingSettings fromAnnotation;
        try {
            fromAnnotation = scalingDefaults.with(scalingOnly(annotated));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException("the @Service annotation's scaling default " + e.getMessage());
        }
        try {
            return fromAnnotation.with(given);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /**
     * Deploys an ONNX model, served with no code over the Open Inference Protocol under the given
     * name; a {@code metaflow://} reference's {@code latest} is pinned to the run it means now.
     *
     * @param settings the deployment's settings (its prediction sample rate, say)
     */
    public Deployment deployOnnx(String model, String name, Map<String, String> scaling, Map<String, String> settings)
            throws DeploymentFailedException, InvalidSettingsException {
        return deployOnnx(model, name, scaling, settings, null);
    }

    /** {@link #deployOnnx(String, String, Map, Map)} for {@code by}, who is named in a rollout's history. */
    public synchronized Deployment deployOnnx(
            String model, String name, Map<String, String> scaling, Map<String, String> settings, String by)
            throws DeploymentFailedException, InvalidSettingsException {
        var checked = checkScaling(Map.of(), scaling);
        var rollout = RolloutRequest.from(scaling);
        var retention = retention(scaling);
        var access = access(scaling);
        var resources = resources(Map.of(), scaling);
        if (name == null || !name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new InvalidSettingsException("name '" + name + "' is not allowed: use 1-63 lowercase letters, "
                    + "digits and dashes, e.g. --name iris-onnx");
        }
        if (model == null || !(model.startsWith("metaflow://") || model.startsWith("file:"))) {
            throw new InvalidSettingsException("model '" + model + "': expected a reference such as "
                    + "metaflow://IrisFlow/latest/end/model_onnx or file:/models/iris.onnx");
        }
        artifactRoots.check("the model", model);
        checkFiles(settings);
        var batch = settings.get("batch");
        if (batch != null) {
            try {
                BatchSettings.parse(batch);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException("--batch: " + e.getMessage());
            }
        }
        var pinned = artifactPins.pinModel(model);
        var reference = pinned.settings().getOrDefault("model", model);
        int version = store.nextVersion(name);
        var descriptor = new ServiceDescriptor(name, "onnx:" + reference, List.of());
        return activate(
                rollout,
                by,
                new Deployment(
                        name + "-v" + version,
                        name,
                        version,
                        "",
                        null,
                        descriptor,
                        settings,
                        Deployment.State.ACTIVE,
                        clock.instant(),
                        pinned.pins(),
                        reference,
                        checked,
                        retention,
                        resources,
                        access));
    }

    /**
     * Starts the first instance; only once it is ready does the deployment replace its service's current one, or, as
     * a canary or shadow, join it (replacing only the canary or shadow before it).
     */
    private Deployment activate(RolloutRequest rollout, String by, Deployment made)
            throws DeploymentFailedException, InvalidSettingsException {
        var who = by == null ? "local" : by;
        var deployment = rollout == null ? made : made.withRollout(rollout.rollout(who, clock.instant()));
        var active = store.active().stream()
                .filter(d -> d.service().equals(deployment.service()))
                .toList();
        if (rollout != null) {
            checkBeside(deployment, active);
        }
        var replaced = active.stream()
                .filter(d -> deployment.variant() == Variant.PRIMARY || d.variant() != Variant.PRIMARY)
                .toList();
        RunningInstance instance;
        launching.put(deployment.id(), deployment); // its first pod fetches its jar before it is recorded
        try {
            instance = supervisor.launch(deployment);
        } catch (InstanceStartException e) {
            throw new DeploymentFailedException(e.getMessage());
        } finally {
            launching.remove(deployment.id());
        }
        // The instance reports the runs its code's own "latest" references resolved to: from now on they are pinned.
        Deployment recorded;
        try {
            recorded = deployment.withPins(instance.pins());
            store.activate(recorded);
        } catch (RuntimeException e) {
            // Not recorded, it is nobody's to undeploy: what started (and is routed already) stops with the deploy.
            supervisor.retire(deployment.id());
            throw e;
        }
        supervisor.update(recorded);
        for (var old : replaced) {
            if (old.variant() != Variant.PRIMARY) { // its rollout ends here: say so in its history
                store.update(
                        old.withRollout(old.rollout().rolledBack(who, "replaced by " + recorded.id(), clock.instant()))
                                .withState(Deployment.State.RETIRED));
            }
            supervisor.retire(old.id());
        }
        LOG.log(
                Level.INFO,
                "deployed " + recorded.id() + (recorded.pins().isEmpty() ? "" : " serving runs " + recorded.pins())
                        + (recorded.variant() == Variant.PRIMARY
                                ? ""
                                : " as a " + recorded.variant().label() + " at "
                                        + recorded.rollout().split().percent() + "%")
                        + (replaced.isEmpty()
                                ? ""
                                : ", replacing "
                                        + replaced.stream().map(Deployment::id).toList()));
        return recorded;
    }

    /** A canary or shadow needs a primary of the same kind, and must answer every endpoint the primary does. */
    private static void checkBeside(Deployment candidate, List<Deployment> active) throws InvalidSettingsException {
        var primary = active.stream()
                .filter(d -> d.variant() == Variant.PRIMARY)
                .findFirst()
                .orElseThrow(() -> new InvalidSettingsException("service '" + candidate.service() + "' has no version"
                        + " serving yet to roll " + candidate.variant().label() + " out beside: deploy it without "
                        + candidate.variant().label() + " first"));
        if (primary.servesOnnx() != candidate.servesOnnx()) {
            throw new InvalidSettingsException("service '" + candidate.service() + "' is served by "
                    + (primary.servesOnnx() ? "an ONNX model" : "a service jar") + ": its "
                    + candidate.variant().label() + " must be one too");
        }
        var missing = primary.descriptor().endpoints().stream()
                .map(e -> e.name())
                .filter(name -> candidate.descriptor().endpoint(name).isEmpty())
                .toList();
        if (!missing.isEmpty()) {
            throw new InvalidSettingsException("the " + candidate.variant().label() + " has no endpoint " + missing
                    + " that " + primary.id() + " answers: its share of those calls would fail");
        }
    }

    /**
     * Records a rollout's step: the candidate's new share or plan, its promotion (the primary it replaces retires,
     * after the routes moved to it) or its rollback (it retires; its held calls go to the primary).
     */
    public synchronized Deployment recordRollout(Deployment changed) {
        var replaced = changed.variant() == Variant.PRIMARY && changed.state() == Deployment.State.ACTIVE
                ? store.active().stream()
                        .filter(d -> d.service().equals(changed.service()) && !d.id().equals(changed.id()))
                        .toList()
                : List.<Deployment>of();
        store.update(changed);
        if (changed.state() == Deployment.State.RETIRED) {
            supervisor.retire(changed.id());
        } else {
            supervisor.update(changed);
            replaced.forEach(old -> supervisor.retire(old.id()));
        }
        if (changed.state() == Deployment.State.RETIRED || !replaced.isEmpty()) {
            pruneJars(); // a step that only moved a share retired nothing
        }
        return changed;
    }

    /** Stops serving a deployment and stops its instances. */
    public synchronized Deployment undeploy(String id) throws UnknownDeploymentException {
        var deployment = find(id);
        var candidates = deployment.variant() == Variant.PRIMARY && deployment.state() == Deployment.State.ACTIVE
                ? store.active().stream()
                        .filter(d -> d.service().equals(deployment.service()) && d.variant() != Variant.PRIMARY)
                        .toList()
                : List.<Deployment>of();
        if (deployment.variant() == Variant.PRIMARY) {
            store.retire(id);
        } else { // a canary or shadow taken out by hand: its rollout ends, and says so
            store.update(endRollout(deployment, "undeployed"));
        }
        supervisor.retire(id);
        // Without its primary a canary or shadow serves nobody: it goes too.
        for (var candidate : candidates) {
            store.update(endRollout(candidate, "its primary " + id + " was undeployed"));
            supervisor.retire(candidate.id());
        }
        LOG.log(
                Level.INFO,
                "undeployed " + id
                        + (candidates.isEmpty()
                                ? ""
                                : " and "
                                        + candidates.stream()
                                                .map(Deployment::id)
                                                .toList()));
        pruneJars();
        return deployment.withState(Deployment.State.RETIRED);
    }

    /** The candidate retired, its rollout rolled back for this reason. */
    private Deployment endRollout(Deployment candidate, String reason) {
        return candidate
                .withRollout(candidate.rollout().rolledBack("flowhost", reason, clock.instant()))
                .withState(Deployment.State.RETIRED);
    }

    /**
     * The file of a deployment's jar, as a pod fetches it: this server's copy, or one made from the state's (it was
     * deployed through a gateway on another host).
     */
    public Path jarFile(String id) throws UnknownDeploymentException {
        var starting = launching.get(id);
        var deployment = starting != null ? starting : find(id);
        if (deployment.jar() == null) {
            throw new UnknownDeploymentException(id); // an ONNX model's: there is no jar
        }
        if (Files.exists(deployment.jar())) {
            return deployment.jar();
        }
        boolean copied = !Files.exists(jars.resolve(deployment.jarSha256() + ".jar"));
        var file = fetch(deployment.jarSha256()).orElseThrow(() -> new UnknownDeploymentException(id));
        if (copied) {
            dropUnkeptCopies(deployment.jarSha256());
        }
        return file;
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

    /**
     * Drops the jars that no deployment keeps: a deployment keeps its jar while it is active and, retired, while it is
     * one of the newest {@code retiredJarsKept} retired versions of its service; a jar stays while any deployment
     * keeps it. Dropped under the data dir and in the shared state.
     */
    private void pruneJars() {
        var all = allOrNone("drop unkept jars (tried at the next retirement)");
        var kept = keptJars(all);
        var dropped = new LinkedHashSet<String>();
        for (var deployment : all) {
            var sha = deployment.jarSha256();
            if (sha != null && !kept.contains(sha) && !droppedJars.contains(sha)) {
                dropped.add(sha);
            }
        }
        for (var sha : dropped) {
            var file = jars.resolve(sha + ".jar");
            try {
                boolean here = Files.deleteIfExists(file);
                cluster.dropJar(sha);
                droppedJars.add(sha);
                if (here) {
                    LOG.log(Level.DEBUG, "dropped the jar " + sha + ": no deployment kept it");
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot drop the jar " + sha + " (it stays): " + e.getMessage());
            }
        }
    }

    /**
     * Deletes this gateway's copies of jars that no deployment keeps, and nothing in the state: a gateway that does
     * not lead copies jars out of the state for the pods that fetch them from it, and retires nothing itself, so
     * its copies would otherwise stay after the leader dropped their jars. Called when it has just made a copy (of
     * {@code justCopied}, which stays: a pod is fetching it).
     */
    private synchronized void dropUnkeptCopies(String justCopied) {
        var all = allOrNone("drop this gateway's copies of unkept jars (tried at its next copy)");
        var kept = keptJars(all);
        for (var deployment : all) {
            var sha = deployment.jarSha256();
            if (sha != null && !kept.contains(sha) && !sha.equals(justCopied)) {
                try {
                    if (Files.deleteIfExists(jars.resolve(sha + ".jar"))) {
                        LOG.log(
                                Level.DEBUG,
                                "dropped this gateway's copy of the jar " + sha + ": no deployment kept it");
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot drop the copy of the jar " + sha + " (it stays): " + e.getMessage());
                }
            }
        }
    }

    /** Every deployment, newest first; none (and a warning saying what waits) when the store cannot list them. */
    private List<Deployment> allOrNone(String toDo) {
        try {
            return store.all();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot list the deployments to " + toDo + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * The jars kept, by SHA-256: every active or launching deployment's, and a retired one's while it is one of the
     * newest {@code retiredJarsKept} retired versions of its service ({@code all} is newest first).
     */
    private Set<String> keptJars(List<Deployment> all) {
        var kept = new HashSet<String>();
        var retired = new HashMap<String, Integer>();
        for (var deployment : all) {
            if (deployment.jarSha256() != null
                    && (deployment.state() != Deployment.State.RETIRED
                            || retired.merge(deployment.service(), 1, Integer::sum) <= retiredJarsKept)) {
                kept.add(deployment.jarSha256());
            }
        }
        launching.values().forEach(d -> kept.add(d.jarSha256()));
        return kept;
    }

    /**
     * Forgets the jar of a deploy that failed, unless a deployment uses it (the same jar deployed before): a broken
     * jar tried again and again would otherwise stay on disk, and in the shared state, for good.
     */
    private void forgetUnused(String sha, Path file) {
        if (store.all().stream().anyMatch(d -> sha.equals(d.jarSha256()))) {
            return;
        }
        deleteQuietly(file);
        try {
            cluster.dropJar(sha);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot forget the jar " + sha + " of a failed deploy: " + e.getMessage());
        }
    }

    /**
     * The jar of this SHA-256 under the data dir, copied from the state's unless it is there already (checked
     * against its SHA-256 as it is written); empty if the state keeps no such jar.
     */
    private Optional<Path> fetch(String sha) {
        var file = jars.resolve(sha + ".jar");
        if (Files.exists(file)) {
            return Optional.of(file);
        }
        try {
            Files.createDirectories(jars);
            var tmp = Files.createTempFile(jars, sha, ".tmp");
            try {
                var digest = sha256();
                boolean kept;
                try (var out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
                    kept = cluster.copyJar(sha, out);
                }
                if (!kept) {
                    return Optional.empty();
                }
                var written = HexFormat.of().formatHex(digest.digest());
                if (!written.equals(sha)) {
                    throw new IllegalStateException(
                            "the state's copy of the jar " + sha + " is damaged (its SHA-256 is " + written + ")");
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(file);
            } finally {
                deleteQuietly(tmp); // gone already once moved
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the jar under " + jars, e);
        }
    }

    /** A jar kept under the data dir: its SHA-256 and its file there. */
    private record Kept(String sha256, Path file) {}

    /** The jar in this file kept under the data dir by its SHA-256, hashed as it is copied: read once. */
    private Kept keep(Path jar) {
        try {
            Files.createDirectories(jars);
            var tmp = Files.createTempFile(jars, "deploy-", ".tmp");
            try {
                String sha;
                try (var in = new DigestInputStream(Files.newInputStream(jar), sha256())) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    sha = HexFormat.of().formatHex(in.getMessageDigest().digest());
                }
                var file = jars.resolve(sha + ".jar");
                if (!Files.exists(file)) {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                return new Kept(sha, file);
            } finally {
                deleteQuietly(tmp); // gone already once moved
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the jar " + jar + " under " + jars, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file + ": " + e);
        }
    }
}
