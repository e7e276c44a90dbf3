package io.flowhost.tables;

import io.flowhost.domain.table.InvalidKeyException;
import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.Publishing;
import io.flowhost.domain.table.TableSourceException;
import io.flowhost.domain.table.TableStateException;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.domain.table.TableVersion.State;
import io.flowhost.domain.table.UnknownTableException;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.state.TableStore;
import io.flowhost.tables.internal.Layout;
import io.flowhost.tables.internal.Rocks;
import io.flowhost.tables.internal.Rows;
import io.flowhost.tables.internal.ServedVersion;
import io.flowhost.tables.internal.Sources;
import io.flowhost.tables.internal.VersionBuilder;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;

/**
 * This gateway's tables of precomputed predictions: lookups read the current version of a table without a lock;
 * new versions are built beside it (from a source, or from rows written over HTTP) and published in one step; the
 * previous version stays open for a rollback. Which versions exist is in the state store, shared by every gateway;
 * each gateway keeps its own copy of the rows, built from the recorded source ({@link #sync()}).
 */
public final class Tables implements AutoCloseable {

    /** A version being written over HTTP that gets no rows for this long is abandoned (its writer is gone). */
    public static final Duration IDLE_WRITER = Duration.ofHours(1);

    /** The most keys one lookup of many may ask for. */
    public static final int MAX_KEYS_PER_LOOKUP = 1000;

    /** The header of a page of rows naming the key the next page starts after; absent on the last page. */
    public static final String NEXT_HEADER = Sources.NEXT_HEADER;

    /** The most rows, and about the most bytes, of one page of a version's rows. */
    static final int PAGE_ROWS = 50_000;

    static final long PAGE_BYTES = 8L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger("flowhost.tables");

    private final TableStore store;
    private final InstantSource clock;
    private final Layout layout;
    private final Sources sources;
    private final Supplier<String> origin;
    private final Rocks rocks;
    /** What lookups read, by table. */
    private final Map<String, ServedVersion> current = new ConcurrentHashMap<>();
    /** Every version open here (each table's current and previous), by id. */
    private final Map<String, ServedVersion> open = new ConcurrentHashMap<>();
    /** Versions being filled over HTTP on this gateway, by id. */
    private final Map<String, VersionBuilder> building = new ConcurrentHashMap<>();
    /** When each version being built here last got rows (or was begun). */
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();
    /** When this gateway's tables opened: a version begun here before then lost its rows with the process. */
    private final Instant opened;
    /** Versions this gateway failed to open or build, each reported once until it succeeds. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Held while what lookups read changes: publishing, rolling back, syncing, dropping. */
    private final ReentrantLock changes = new ReentrantLock();

    /**
     * @param dir where this gateway keeps its copies of the tables
     * @param metaflow the datastore {@code metaflow://} sources read, or null
     * @param origin this gateway's address as the others reach it: the source of the versions written to it
     * @param cacheBytes RocksDB's block cache, shared by every open version
     */
    public Tables(
            Path dir,
            TableStore store,
            DatastoreOptions metaflow,
            Supplier<String> origin,
            long cacheBytes,
            InstantSource clock) {
        this.store = store;
        this.clock = clock;
        this.origin = origin;
        this.layout = new Layout(dir);
        this.sources = new Sources(metaflow);
        this.rocks = new Rocks(cacheBytes);
        this.opened = clock.instant();
    }

    // --- lookups ---------------------------------------------------------------------------------------------

    /**
     * Looks up one key in the table's current version.
     *
     * @throws UnknownTableException when no version of the table is published
     * @throws InvalidKeyException when the key cannot be one of the table's
     */
    public Found get(String table, String key) {
        var served = acquire(table);
        try {
            var canonical = served.version().keyType().canonical(table, key);
            return new Found(served.version().version(), canonical, served.get(canonical));
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading " + served.version().id() + ": " + e.getMessage(), e);
        } finally {
            served.release();
        }
    }

    /** Looks up many keys in one version of the table (the same for all of them), in their order. */
    public List<Found> getAll(String table, List<String> keys) {
        if (keys.size() > MAX_KEYS_PER_LOOKUP) {
            throw new InvalidKeyException("a lookup asks for at most " + MAX_KEYS_PER_LOOKUP + " keys; this one asks"
                    + " for " + keys.size() + " (split it)");
        }
        var served = acquire(table);
        try {
            var v = served.version();
            var canonical =
                    keys.stream().map(k -> v.keyType().canonical(table, k)).toList();
            var values = served.getAll(canonical);
            var found = new ArrayList<Found>(keys.size());
            for (int i = 0; i < canonical.size(); i++) {
                found.add(new Found(v.version(), canonical.get(i), values.get(i)));
            }
            return found;
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading " + served.version().id() + ": " + e.getMessage(), e);
        } finally {
            served.release();
        }
    }

    /** The current version of a table as this gateway serves it. */
    public TableVersion served(String table) {
        var served = acquire(table);
        served.release();
        return served.version();
    }

    private ServedVersion acquire(String table) {
        while (true) {
            var served = current.get(table);
            if (served == null) {
                throw UnknownTableException.notPublished(table);
            }
            if (served.acquire()) {
                return served;
            }
            // retired between the read and the acquire: a newer version is in place
        }
    }

    /** One page of a version's rows, in key order: what another gateway copies a version written here from. */
    public record Page(List<String> keys, List<byte[]> values, String next) {}

    /**
     * The rows of a version served here after a key (from the first when null), at most {@code limit} of them;
     * {@link Page#next()} is where the next page starts, or null after the last.
     */
    public Page page(String table, int version, String after, int limit) {
        var served = open.get(table + "@" + version);
        if (served == null || !served.acquire()) {
            throw new UnknownTableException("version " + version + " of table '" + table + "' is not served by this"
                    + " gateway (only a current or previous version is)");
        }
        try {
            var keys = new ArrayList<String>();
            var values = new ArrayList<byte[]>();
            var next = served.scan(after, Math.max(1, Math.min(limit, PAGE_ROWS)), PAGE_BYTES, (k, v) -> {
                keys.add(new String(k, StandardCharsets.UTF_8));
                values.add(v);
            });
            return new Page(keys, values, next);
        } finally {
            served.release();
        }
    }

    // --- building over HTTP ----------------------------------------------------------------------------------

    /** Begins a version whose rows will be written over HTTP. */
    public TableVersion begin(String table, KeyType keyType, String by) {
        TableVersion.checkName(table);
        // Its source is this gateway: another one copies the rows from here once it is published.
        var v = store.begin(table, keyType, origin.get(), by, clock.instant());
        try {
            building.put(v.id(), VersionBuilder.create(rocks, v, layout.fresh(v)));
            touched.put(v.id(), clock.instant());
        } catch (RocksDBException e) {
            store.update(List.of(v.failed("cannot create its files: " + e.getMessage())));
            throw new IllegalStateException("cannot create the files of " + v.id() + ": " + e.getMessage(), e);
        }
        return v;
    }

    /**
     * Adds a batch of rows (one JSON object, key → value) to a version being built; all of the batch or, when one
     * row is wrong, none of it.
     *
     * @return how many rows the batch had
     */
    public long put(String table, int version, InputStream body) throws Exception {
        var builder = builder(table, version);
        var rows = new Rows(table, builder.version().keyType(), null, null);
        var keys = new ArrayList<String>();
        var values = new ArrayList<byte[]>();
        rows.fromJsonObject(body, (key, json) -> {
            keys.add(key);
            values.add(json);
        });
        for (int i = 0; i < keys.size(); i++) {
            builder.put(keys.get(i), values.get(i));
        }
        touched.put(builder.version().id(), clock.instant());
        return keys.size();
    }

    /**
     * Finishes a version written over HTTP and publishes it.
     *
     * @param expectedRows the rows the writer sent, or null: fewer arrived means it is unfinished (409)
     */
    public TableVersion publish(String table, int version, Long expectedRows) throws RocksDBException {
        var builder = builder(table, version);
        if (expectedRows != null && builder.written() < expectedRows) {
            throw new TableStateException("version " + version + " of table '" + table + "' is unfinished: "
                    + builder.written() + " of the " + expectedRows + " rows sent have arrived; send the rest, then"
                    + " publish again");
        }
        if (builder.written() == 0) {
            throw new TableStateException("version " + version + " of table '" + table + "' has no rows: PUT some to"
                    + " /v1/tables/" + table + "/versions/" + version + "/rows first");
        }
        building.remove(builder.version().id());
        touched.remove(builder.version().id());
        TableVersion built;
        try {
            built = builder.finish();
            layout.markDone(built);
            store.update(List.of(built));
        } catch (RocksDBException | RuntimeException e) {
            builder.close();
            layout.delete(builder.version());
            store.update(List.of(builder.version().failed("finishing it failed: " + e.getMessage())));
            throw e;
        }
        return install(built);
    }

    /** Gives up a version being built here: its rows are deleted and it is recorded as failed, saying why. */
    public TableVersion abandon(String table, int version, String why) {
        var builder = builder(table, version);
        building.remove(builder.version().id());
        touched.remove(builder.version().id());
        builder.close();
        layout.delete(builder.version());
        var failed = builder.version().failed(why);
        store.update(List.of(failed));
        return failed;
    }

    private VersionBuilder builder(String table, int version) {
        var builder = building.get(table + "@" + version);
        if (builder != null) {
            return builder;
        }
        var known = store.versions(table).stream()
                .filter(v -> v.version() == version)
                .findFirst();
        if (known.isEmpty()) {
            throw new UnknownTableException("table '" + table + "' has no version " + version + "; begin one with"
                    + " POST /v1/tables/" + table + "/versions");
        }
        var v = known.get();
        throw new TableStateException("version " + version + " of table '" + table + "' is "
                + (v.state() == State.BUILDING
                        ? "not being built on this gateway (begun on another, or before a restart)"
                        : v.state().name().toLowerCase(Locale.ROOT))
                + ": a published version is read-only; rows go into a new version (POST /v1/tables/" + table
                + "/versions)");
    }

    // --- loading from a source -------------------------------------------------------------------------------

    /** Builds a new version from a source and publishes it; a source of the wrong shape publishes nothing. */
    public TableVersion load(String table, LoadRequest request, String by) throws Exception {
        TableVersion.checkName(table);
        var pinned = sources.pin(request.source(), request.keyField(), request.valueField());
        var v = store.begin(table, KeyType.STRING, pinned, by, clock.instant());
        TableVersion built;
        try {
            built = build(v);
        } catch (Exception | Error e) {
            layout.delete(v);
            store.update(List.of(v.failed(e.getMessage() == null ? e.toString() : e.getMessage())));
            throw e;
        }
        store.update(List.of(built));
        return install(built);
    }

    /** Builds a version's files from its recorded source and marks them done; the version's counts as built. */
    private TableVersion build(TableVersion v) throws Exception {
        var rows = sources.rows(v);
        TableVersion built;
        try (var builder = VersionBuilder.create(rocks, v, layout.fresh(v))) {
            sources.read(v, rows, builder::put);
            if (rows.count() == 0) {
                throw new TableSourceException(v.source() + " has no rows");
            }
            built = builder.finish().withKeyType(rows.keyType());
        }
        layout.markDone(built);
        return built;
    }

    // --- what lookups read -----------------------------------------------------------------------------------

    /** Publishes a finished version here and in the store: lookups read it from the next one on. */
    private TableVersion install(TableVersion built) throws RocksDBException {
        changes.lock();
        try {
            var served = serve(built);
            List<TableVersion> changed;
            try {
                changed = Publishing.publish(
                        store.versions(built.table()), built.table(), built.version(), clock.instant());
                store.update(changed);
            } catch (RuntimeException e) {
                served.retire();
                throw e;
            }
            var published = changed.getLast();
            open.put(published.id(), served);
            current.put(published.table(), served);
            for (var c : changed) {
                if (c.state() == State.RETIRED) {
                    close(c);
                }
            }
            LOG.log(
                    Level.INFO,
                    "table " + published.id() + " published: " + published.rows() + " rows from " + published.source()
                            + " in " + published.loadMillis() + " ms");
            return published;
        } finally {
            changes.unlock();
        }
    }

    /** Makes the previous version current again, and the current one previous. */
    public TableVersion rollback(String table) {
        changes.lock();
        try {
            var changed = Publishing.rollback(store.versions(table), table, clock.instant());
            var back = changed.getLast();
            var served = open.get(back.id());
            if (served == null) {
                throw new TableStateException("version " + back.version() + " of table '" + table + "' is not open"
                        + " on this gateway yet (it is still being built here); try again shortly");
            }
            store.update(changed);
            current.put(table, served);
            return back;
        } finally {
            changes.unlock();
        }
    }

    /** Forgets a table: its lookups fail from now on, its files are deleted. */
    public int drop(String table) {
        changes.lock();
        try {
            int versions = store.drop(table);
            if (versions == 0) {
                throw new UnknownTableException("no table '" + table + "'; GET /v1/tables lists the tables");
            }
            current.remove(table);
            for (var id : List.copyOf(open.keySet())) {
                if (id.startsWith(table + "@")) {
                    open.remove(id).retireKeepingFiles();
                }
            }
            for (var id : List.copyOf(building.keySet())) {
                if (id.startsWith(table + "@")) {
                    building.remove(id).close();
                }
            }
            layout.deleteTable(table);
            return versions;
        } finally {
            changes.unlock();
        }
    }

    /** Every table's versions that are not retired, by table then newest first. */
    public List<TableVersion> list() {
        return store.all();
    }

    /** A table's versions, newest first. */
    public List<TableVersion> versions(String table) {
        var versions = store.versions(table);
        if (versions.isEmpty()) {
            throw new UnknownTableException("no table '" + table + "'; GET /v1/tables lists the tables");
        }
        return versions;
    }

    /**
     * Brings this gateway's copies in line with the store: opens (or builds from its source) every current and
     * previous version it lacks, points lookups at each table's current version, and closes and deletes what was
     * retired or dropped. Run at startup and then every few seconds, so that a version another gateway published
     * is served here too.
     */
    public void sync() {
        changes.lock();
        try {
            var all = store.all();
            forgetLostWriters(all);
            var wanted = all.stream().filter(TableVersion::isServed).toList();
            var wantedIds = new HashSet<String>();
            for (var v : wanted) {
                wantedIds.add(v.id());
                if (!open.containsKey(v.id())) {
                    openHere(v);
                }
            }
            for (var v : wanted) {
                var served = open.get(v.id());
                if (v.state() == State.CURRENT && served != null && current.get(v.table()) != served) {
                    current.put(v.table(), served);
                }
            }
            var currentTables = new HashSet<String>();
            wanted.stream().filter(v -> v.state() == State.CURRENT).forEach(v -> currentTables.add(v.table()));
            current.keySet().removeIf(t -> !currentTables.contains(t));
            for (var id : List.copyOf(open.keySet())) {
                if (!wantedIds.contains(id)) {
                    open.remove(id).retire();
                }
            }
        } finally {
            changes.unlock();
        }
    }

    /**
     * Abandons the versions whose writers are gone: one idle for {@link #IDLE_WRITER}, and one begun on this gateway
     * before it restarted (its rows went with the process), so that neither stays "building" forever.
     */
    private void forgetLostWriters(List<TableVersion> all) {
        var now = clock.instant();
        for (var e : List.copyOf(touched.entrySet())) {
            if (Duration.between(e.getValue(), now).compareTo(IDLE_WRITER) >= 0) {
                var v = building.get(e.getKey());
                if (v != null) {
                    abandon(
                            v.version().table(),
                            v.version().version(),
                            "abandoned: no rows for " + IDLE_WRITER.toHours() + " h");
                }
            }
        }
        var here = origin.get();
        for (var v : all) {
            if (v.state() == State.BUILDING
                    && v.source().equals(here)
                    && v.createdAt().isBefore(opened)
                    && !building.containsKey(v.id())) {
                store.update(List.of(v.failed("the gateway restarted while it was being written; write it again")));
            }
        }
    }

    private void openHere(TableVersion v) {
        try {
            if (!layout.isDone(v)) {
                LOG.log(Level.INFO, "building this gateway's copy of table " + v.id() + " from " + v.source());
                build(v);
            }
            open.put(v.id(), serve(v));
            reported.remove(v.id());
        } catch (Exception e) {
            if (reported.add(v.id())) {
                LOG.log(
                        Level.WARNING,
                        "cannot open table " + v.id() + " here (tried again every few seconds): " + e.getMessage());
            }
        }
    }

    /** Opens a finished version; its files are deleted once it is retired and its last lookup done. */
    private ServedVersion serve(TableVersion v) throws RocksDBException {
        return ServedVersion.open(rocks, v, layout.dir(v), () -> layout.delete(v));
    }

    private void close(TableVersion v) {
        var served = open.remove(v.id());
        if (served != null) {
            served.retire();
        } else {
            layout.delete(v);
        }
    }

    @Override
    public void close() {
        changes.lock();
        try {
            current.clear();
            open.values().forEach(ServedVersion::retireKeepingFiles);
            open.clear();
            building.values().forEach(VersionBuilder::close);
            building.clear();
            rocks.close();
        } finally {
            changes.unlock();
        }
    }
}
