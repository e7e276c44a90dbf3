package io.flowhost.tables.internal;

import io.flowhost.domain.table.TableStateException;
import io.flowhost.domain.table.TableVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A version being filled: rows go into RocksDB in batches without a write-ahead log (a version cut short by a crash
 * is begun again, never served), and {@link #finish()} compacts it into the files lookups read.
 */
public final class VersionBuilder implements AutoCloseable {

    /** Rows are written to RocksDB in batches of about this many bytes. */
    private static final int BATCH_BYTES = 4 * 1024 * 1024;

    private final TableVersion version;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writes = new WriteOptions().setDisableWAL(true);
    private final WriteBatch batch = new WriteBatch();
    private final long startedNanos = System.nanoTime();
    private long written;
    private boolean finished;

    private VersionBuilder(TableVersion version, Options options, RocksDB db) {
        this.version = version;
        this.options = options;
        this.db = db;
    }

    /** Creates the version's files in an empty folder. */
    public static VersionBuilder create(Rocks rocks, TableVersion version, Path dir) throws RocksDBException {
        var options = rocks.forBuilding();
        try {
            return new VersionBuilder(version, options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw e;
        }
    }

    public TableVersion version() {
        return version;
    }

    /** Adds one row (a canonical key, a JSON value); a key given twice keeps its last value. */
    public synchronized void put(String key, byte[] value) throws RocksDBException {
        if (finished) {
            throw new TableStateException("version " + version.version() + " of table '" + version.table()
                    + "' is published or being published: rows go into a new version");
        }
        batch.put(key.getBytes(StandardCharsets.UTF_8), value);
        written++;
        if (batch.getDataSize() >= BATCH_BYTES) {
            db.write(writes, batch);
            batch.clear();
        }
    }

    /** Rows written so far, a key given twice counted twice. */
    public synchronized long written() {
        return written;
    }

    /**
     * Writes what is pending, compacts, and closes: the version as lookups will read it, with its rows counted
     * (each key once), its size on disk and how long it took.
     */
    public synchronized TableVersion finish() throws RocksDBException {
        finished = true;
        if (batch.count() > 0) {
            db.write(writes, batch);
            batch.clear();
        }
        try (var flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        db.compactRange();
        long rows = db.getLongProperty("rocksdb.estimate-num-keys");
        long bytes = db.getLongProperty("rocksdb.total-sst-files-size");
        var millis = (System.nanoTime() - startedNanos) / 1_000_000;
        close();
        return version.built(rows, bytes, millis);
    }

    @Override
    public synchronized void close() {
        finished = true;
        if (!writes.isOwningHandle()) {
            return;
        }
        batch.close();
        writes.close();
        db.close();
        options.close();
    }
}
