package io.flowhost.instances.process;

import io.flowhost.runtime.InstanceMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line that starts a JVM running flowhost's runtime: this JVM's own {@code java}, its
 * class path passed in an argument file (a long {@code -cp} on the command line crashes ONNX Runtime
 * and is capped on some systems), and flags suited to small instances.
 */
final class JavaCommand {

    private static final System.Logger LOG = System.getLogger("flowhost.instances");

    private final String java;
    private final Path argFile;
    private final List<String> jvmOptions;
    private final Path cdsDir;
    private final boolean cacheable;

    private JavaCommand(String java, Path argFile, List<String> jvmOptions, Path cdsDir, boolean cacheable) {
        this.java = java;
        this.argFile = argFile;
        this.jvmOptions = jvmOptions;
        this.cdsDir = cdsDir;
        this.cacheable = cacheable;
    }

    /** Writes the class-path argument file under {@code dir} and prepares the command, for this JVM's class path. */
    static JavaCommand create(Path dir, List<String> extraJvmOptions) {
        return create(dir, extraJvmOptions, System.getProperty("java.class.path"));
    }

    /** {@link #create(Path, List)} for instances with the given class path. */
    static JavaCommand create(Path dir, List<String> extraJvmOptions, String classPath) {
        var java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var argFile = dir.resolve("instance-classpath.args");
        try {
            Files.createDirectories(dir.resolve("cds"));
            // The argument-file syntax treats backslashes and spaces specially; quoting keeps paths intact.
            var cp = classPath.replace("\\", "\\\\").replace("\"", "\\\"");
            Files.writeString(argFile, "-cp \"" + cp + "\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + argFile, e);
        }
        var options = new ArrayList<String>();
        options.add("-XX:+UseSerialGC"); // a small heap with one or two cores: the least overhead
        options.add("-Xss4m"); // ONNX Runtime recurses deeply when loading
        options.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            // Netty uses sun.misc.Unsafe for its buffers only when allowed; measured +18-34 % here.
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        OnnxNatives.unpack(dir.resolve("native"))
                .ifPresent(natives ->
                        // ONNX Runtime otherwise unpacks its 24 MB library to /tmp on every start (about 0.3 s).
                        options.add("-Donnxruntime.native.path=" + natives));
        NettyNatives.unpack(dir.resolve("native"))
                .ifPresent(natives -> options.add("-Djava.library.path=" + natives + File.pathSeparator
                        + System.getProperty("java.library.path", "")));
        // Tracing set up with otel.* system properties (rather than the OTEL_* environment, which
        // instances inherit anyway) reaches the instances too.
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("otel.") && !name.equals("otel.service.name"))
                .sorted()
                .forEach(name -> options.add("-D" + name + "=" + System.getProperty(name)));
        options.addAll(extraJvmOptions);
        return new JavaCommand(java, argFile, List.copyOf(options), dir.resolve("cds"), onlyFiles(classPath));
    }

    /**
     * Whether a class path is files only: the JVM archives classes from jars, and refuses to write a cache when a
     * folder of classes is on the path (a test run's target/classes).
     */
    private static boolean onlyFiles(String classPath) {
        return Stream.of(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .noneMatch(entry -> Files.isDirectory(Path.of(entry)));
    }

    /**
     * {@code java <options> @argfile <mainClass> <args>} for an instance of a deployment, with a cache of its own
     * that an instance writes when it exits and every later start maps: on JDK 25 and later an AOT cache (JEP
     * 483/514/515: classes loaded and linked, method profiles, not replayed on JDK 25; kept from the first instance
     * called while recording, see {@link #adoptAotCache}), else a class-data-sharing archive (classes loaded from a
     * memory image). Left out when the operator set class-data sharing options of their own, and when the class path
     * holds folders, which the JVM cannot archive.
     */
    List<String> command(String deploymentId, Path instanceDir, String mainClass, List<String> args) {
        return command(cacheOptions(deploymentId, instanceDir), instanceDir, mainClass, args);
    }

    private List<String> command(List<String> cache, Path instanceDir, String mainClass, List<String> args) {
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(jvmOptions);
        // A JVM crash report goes next to the instance's log, not into the server's working directory.
        command.add("-XX:ErrorFile=" + instanceDir.resolve("hs_err_pid%p.log"));
        command.addAll(cache);
        command.add("@" + argFile);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Whether instances map the JDK's AOT cache (measured faster to a first answer than AppCDS on JDK 25). */
    static boolean aotCache() {
        return Runtime.version().feature() >= 25 && !Boolean.getBoolean("flowhost.instances.appcds");
    }

    private List<String> cacheOptions(String deploymentId, Path instanceDir) {
        boolean own = jvmOptions.stream()
                .anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile") || o.contains("AOTCache"));
        if (own || !cacheable) {
            return List.of();
        }
        if (aotCache()) {
            var cache = aotCache(deploymentId);
            if (Files.isRegularFile(cache)) {
                // (a cache that does not fit this JVM is ignored with a warning and the start goes on without)
                if (Runtime.version().feature() == 25) {
                    // The cache's method profiles are not replayed: replaying them compiles at once with C2 what the
                    // recording instance ran hot, which on two cores competes with the start (first answer p50 271
                    // against 316 ms, bench/coldstart.sh; the warm-up after is in docs/benchmarks.md). The flag is
                    // diagnostic, so only on the JDK it was measured on.
                    return List.of("-XX:AOTCache=" + cache, "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
                }
                return List.of("-XX:AOTCache=" + cache);
            }
            // Recorded into the instance's own folder, written at its exit, and adopted then by adoptAotCache.
            return List.of(
                    "-XX:AOTCacheOutput=" + recordedAotCache(instanceDir),
                    "-D" + InstanceMain.SERVED_MARKER + "=" + servedMarker(instanceDir));
        }
        if (Runtime.version().feature() >= 19) {
            return List.of(
                    "-XX:SharedArchiveFile=" + cdsDir.resolve(deploymentId + ".jsa"), "-XX:+AutoCreateSharedArchive");
        }
        return List.of();
    }

    private Path aotCache(String deploymentId) {
        return cdsDir.resolve(deploymentId + ".aot");
    }

    private static Path recordedAotCache(Path instanceDir) {
        return instanceDir.resolve("class-cache.aot");
    }

    private static Path servedMarker(Path instanceDir) {
        return instanceDir.resolve("served");
    }

    /**
     * At the exit of an instance that recorded an AOT cache: the cache becomes its deployment's if the instance was
     * called while recording it, and is dropped if not, so that the next instance records again. A cache of a start
     * alone leaves out the first call's classes and method profiles, which took a new instance's first call from
     * about 50 to 130 ms (iris, measured by hand). Moved into place in one step: instances mapping an earlier cache
     * keep theirs.
     */
    void adoptAotCache(String deploymentId, Path instanceDir) {
        var recorded = recordedAotCache(instanceDir);
        try {
            if (!Files.isRegularFile(recorded)) {
                return;
            }
            if (Files.exists(servedMarker(instanceDir))) {
                Files.move(
                        recorded,
                        aotCache(deploymentId),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(recorded);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the class cache " + recorded + ": " + e);
        }
    }

    /**
     * The command of a warm spare: no class cache of its own (it starts ahead of need, so a cache would only add the
     * tens of MiB it maps to every idle spare), a small initial heap (what its warm-up allocated is given back before
     * it idles, not kept committed at the default 1/64 of the machine's memory; 4 MiB rather than 16 left an idle
     * spare 4 MiB smaller, its young generation sized from it, for a first answer within the noise of the same) and,
     * from JDK 22, the C heap trimmed now and then (the JIT's scratch memory, freed but kept by malloc). Its JVM
     * crash report goes to {@code crashReportDir}: the spare's own folder is renamed when it becomes an instance, and
     * a JVM whose report folder is gone writes it into the server's working directory.
     */
    List<String> spareCommand(Path crashReportDir, String mainClass, List<String> args) {
        var command = new ArrayList<>(command(List.of(), crashReportDir, mainClass, args));
        var at = command.indexOf("@" + argFile);
        var extra = new ArrayList<String>();
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xms") || o.startsWith("-XX:InitialHeapSize"))) {
            extra.add("-Xms4m"); // unless the operator chose an initial heap for instances
        }
        if (Runtime.version().feature() >= 22) {
            extra.add("-XX:TrimNativeHeapInterval=5000");
        }
        command.addAll(at, extra);
        return command;
    }

    /**
     * The command of a JVM started to check a jar and then become its deployment's first instance: an instance's,
     * without a class cache (its deployment is not known yet when it starts), its crash report in
     * {@code crashReportDir} as a spare's (its folder is renamed when it becomes an instance).
     */
    List<String> checkCommand(Path crashReportDir, String mainClass, List<String> args) {
        return command(List.of(), crashReportDir, mainClass, args);
    }

    /** {@code java <options> @argfile <mainClass> <args>}. */
    List<String> command(String mainClass, List<String> args) {
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("@" + argFile);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
