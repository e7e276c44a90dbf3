package io.flowhost.tables.internal;

import io.flowhost.domain.table.TableVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A finished version open for lookups, read-only. Lookups {@link #acquire()} it and {@link #release()} it; once
 * retired it closes when its last lookup is done, so that a swap never fails a lookup in flight.
 */
public final class ServedVersion {

    private final TableVersion version;
    private final Options options;
    private final RocksDB db;
    private final ReadOptions reads = new ReadOptions();
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retiring;

    private volatile Runnable afterClose;

    private ServedVersion(TableVersion version, Options options, RocksDB db, Runnable afterClose) {
        this.version = version;
        this.options = options;
        this.db = db;
        this.afterClose = afterClose;
    }

    /**
     * Opens a finished version's files.
     *
     * @param afterRetired what to do once it is retired and closed (delete its files)
     */
    public static ServedVersion open(Rocks rocks, TableVersion version, Path dir, Runnable afterRetired)
            throws RocksDBException {
        var options = rocks.forReading();
        try {
            return new ServedVersion(version, options, RocksDB.openReadOnly(options, dir.toString()), afterRetired);
        } catch (RocksDBException e) {
            options.close();
            throw e;
        }
    }

    public TableVersion version() {
        return version;
    }

    /** Takes the version for one lookup; false when it is retiring (read the table's current one again). */
    public boolean acquire() {
        users.incrementAndGet();
        if (retiring) {
            release();
            return false;
        }
        return true;
    }

    /** Ends a lookup begun with {@link #acquire()}. */
    public void release() {
        if (users.decrementAndGet() == 0 && retiring) {
            closeOnce();
        }
    }

    /** The value stored under a canonical key, or null. Call between {@link #acquire()} and {@link #release()}. */
    public byte[] get(String key) throws RocksDBException {
        return db.get(reads, key.getBytes(StandardCharsets.UTF_8));
    }

    /** The values stored under canonical keys, in their order, null for each miss. */
    public List<byte[]> getAll(List<String> keys) throws RocksDBException {
        var bytes = new ArrayList<byte[]>(keys.size());
        for (var key : keys) {
            bytes.add(key.getBytes(StandardCharsets.UTF_8));
        }
        return db.multiGetAsList(reads, bytes);
    }

    /** Where a scan stopped. */
    @FunctionalInterface
    public interface RowVisitor {
        void row(byte[] key, byte[] value);
    }

    /**
     * Visits the rows after a key (from the first when null), in key order, up to {@code limit} rows or about
     * {@code maxBytes}; returns the last key visited when more rows follow it, else null.
     */
    public String scan(String after, int limit, long maxBytes, RowVisitor visitor) {
        try (var it = db.newIterator(reads)) {
            if (after == null) {
                it.seekToFirst();
            } else {
                var from = after.getBytes(StandardCharsets.UTF_8);
                it.seek(from);
                if (it.isValid() && Arrays.equals(it.key(), from)) {
                    it.next();
                }
            }
            int rows = 0;
            long bytes = 0;
            byte[] last = null;
            while (it.isValid() && rows < limit && bytes < maxBytes) {
                last = it.key();
                var value = it.value();
                visitor.row(last, value);
                rows++;
                bytes += last.length + value.length;
                it.next();
            }
            return it.isValid() && last != null ? new String(last, StandardCharsets.UTF_8) : null;
        }
    }

    /** No new lookups; closes once the ones in flight are done. */
    public void retire() {
        retiring = true;
        if (users.get() == 0) {
            closeOnce();
        }
    }

    /** As {@link #retire()}, keeping its files (the gateway stops, or the whole table's folder goes at once). */
    public void retireKeepingFiles() {
        afterClose = () -> {};
        retire();
    }

    /** Whether its files are closed (after {@link #retire()} and its last lookup). */
    public boolean isClosed() {
        return closed.get();
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            reads.close();
            db.close();
            options.close();
            afterClose.run();
        }
    }
}
