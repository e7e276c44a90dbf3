package io.flowhost.state.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL cluster for tests: Debian's binaries, {@code initdb} in a temp directory, a server on
 * a free loopback port, stopped and deleted when the JVM exits. One per test JVM; each test place gets a database
 * of its own.
 *
 * <p>{@code initdb} refuses to run as root, and CI runs as root: then the cluster is made and run as the
 * {@code postgres} user that Debian's package creates ({@code runuser}). {@code ./flowhost test} installs the package
 * when it is missing; a test run without it fails saying so, never skips.
 *
 * <p>{@code fsync=off}: a test cluster is thrown away, and the tests are about what flowhost commits, not about the
 * disk. Benchmarks start their own cluster with the defaults.
 */
public final class TestPostgres implements AutoCloseable {

    private static final String USER = "flowhost";
    private static final Duration START_WITHIN = Duration.ofSeconds(60);
    private static volatile TestPostgres shared;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private final Map<Path, String> databases = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The cluster of this JVM, started on first use. */
    public static TestPostgres shared() {
        if (shared == null) {
            synchronized (TestPostgres.class) {
                if (shared == null) {
                    shared = start();
                    Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-stop"));
                }
            }
        }
        return shared;
    }

    /** A cluster of the caller's own, for a test that stops and starts it; {@link #close} deletes it. */
    public static TestPostgres startNew() {
        return start();
    }

    /** Stops the server as an operator's restart would ({@code pg_ctl stop -m fast}), keeping its data. */
    public void stopServer() {
        run(
                List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "fast",
                        "-w",
                        "stop"),
                true);
    }

    /** Starts the server again on the same port and data. */
    public void startServer() {
        run(serverStart(), true);
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stop();
    }

    /** A new, empty database; its URL as flowhost's {@code --state} takes it. */
    public String newDatabase() {
        var name = "t" + counter.incrementAndGet();
        try (var db = DriverManager.getConnection(jdbc("postgres"), USER, "");
                var st = db.createStatement()) {
            // FILE_COPY: with fsync off, copying the small template is faster than WAL-logging it (PG 15's default).
            st.execute("CREATE DATABASE " + name + " STRATEGY = FILE_COPY");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** The database that belongs to a test's place, made on first use: opening the place again finds the same one. */
    public String databaseFor(Path place) {
        return databases.computeIfAbsent(place.toAbsolutePath(), p -> newDatabase());
    }

    /** The port the cluster listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    private String url(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    private String jdbc(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static TestPostgres start() {
        var bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between finding and binding it
            Path dir = null;
            try {
                dir = Files.createTempDirectory("flowhost-pg-");
                var cluster = new TestPostgres(dir, bin, freePort(), root);
                cluster.initAndStart();
                return cluster;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalStateException e) {
                last = e;
                deleteQuietly(dir);
            }
        }
        throw last;
    }

    private void initAndStart() throws IOException {
        if (asPostgresUser) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        var data = dir.resolve("data");
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        USER,
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"),
                true);
        run(serverStart(), true);
    }

    private List<String> serverStart() {
        return List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-l",
                dir.resolve("server.log").toString(),
                "-w",
                "-t",
                String.valueOf(START_WITHIN.toSeconds()),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=300",
                "start");
    }

    private void stop() {
        try {
            run(
                    List.of(
                            bin.resolve("pg_ctl").toString(),
                            "-D",
                            dir.resolve("data").toString(),
                            "-m",
                            "immediate",
                            "-w",
                            "stop"),
                    true);
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        }
        deleteQuietly(dir);
    }

    private void run(List<String> command, boolean asCluster) {
        var full = new ArrayList<String>();
        if (asCluster && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            var process = new ProcessBuilder(full)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            var output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(START_WITHIN.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                var log = dir.resolve("server.log");
                throw new IllegalStateException(String.join(" ", full) + " failed: " + output
                        + (Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : ""));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + full.getFirst(), e);
        }
    }

    /** Debian's binaries: {@code FLOWHOST_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}. */
    static Path binaries() {
        var env = System.getenv("FLOWHOST_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        var root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(TestPostgres::major));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/*/bin"
                + "/initdb): run the tests with ./flowhost test, which installs Debian's postgresql package, or"
                + " apt-get install postgresql, or set FLOWHOST_PG_BIN to the folder holding initdb and pg_ctl");
    }

    private static int major(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory; the OS cleans it in the end
        }
    }
}
