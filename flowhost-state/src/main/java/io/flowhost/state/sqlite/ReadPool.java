package io.flowhost.state.sqlite;

import io.flowhost.state.RequestStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** A few read-only connections, so gets and lists run beside the writer (WAL) and beside each other. */
final class ReadPool implements AutoCloseable {

    /** A read on one connection. */
    @FunctionalInterface
    interface Read<T> {
        T run(Connection db) throws SQLException;
    }

    private final List<Connection> all;
    private final BlockingQueue<Connection> idle;
    private volatile boolean closed;

    private ReadPool(List<Connection> all) {
        this.all = all;
        this.idle = new ArrayBlockingQueue<>(all.size(), false, all);
    }

    /** Opens {@code size} readers on the file. */
    static ReadPool open(Path file, int size) throws SQLException {
        var all = new ArrayList<Connection>();
        try {
            for (int i = 0; i < size; i++) {
                all.add(Schema.openReader(file));
            }
        } catch (SQLException e) {
            closeAll(all);
            throw e;
        }
        return new ReadPool(List.copyOf(all));
    }

    /** Runs a read on an idle connection, waiting for one if all are busy. */
    <T> T read(Read<T> read) {
        if (closed) {
            throw new RequestStoreException("the request store is closed");
        }
        Connection db;
        try {
            db = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestStoreException("interrupted while waiting to read requests", e);
        }
        try {
            return read.run(db);
        } catch (SQLException e) {
            throw new RequestStoreException("cannot read the requests database: " + e.getMessage(), e);
        } finally {
            idle.add(db);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeAll(all);
    }

    private static void closeAll(List<Connection> connections) {
        for (var db : connections) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
