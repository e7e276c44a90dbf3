package io.flowhost.state.postgres;

import io.flowhost.state.StoreException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Deployed jars in PostgreSQL, in pieces of at most {@link #CHUNK} bytes ({@code jar_chunks}) under a row of
 * {@code jars} written in the same transaction: neither a gateway nor the database ever holds a whole jar in memory,
 * however large the jar.
 */
final class PostgresJars {

    /** The largest piece: a few MiB keeps a gateway's and a backend's memory small and a jar to few rows. */
    static final int CHUNK = 4 << 20;

    private final DataSource pool;

    PostgresJars(DataSource pool) {
        this.pool = pool;
    }

    /** Keeps the jar in this file, piece by piece as it is read, unless a jar of this SHA-256 is kept already. */
    void keep(String sha256, Path jar) {
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var mark = db.prepareStatement(
                                "INSERT INTO jars (sha256) VALUES (?) ON CONFLICT (sha256) DO NOTHING");
                        var piece =
                                db.prepareStatement("INSERT INTO jar_chunks (sha256, seq, bytes) VALUES (?, ?, ?)");
                        var in = Files.newInputStream(jar)) {
                    mark.setString(1, sha256);
                    if (mark.executeUpdate() == 0) {
                        return null; // deployed before (or by another gateway just now): the same bytes
                    }
                    var buffer = new byte[CHUNK];
                    int seq = 0;
                    int n;
                    while ((n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                        piece.setString(1, sha256);
                        piece.setInt(2, seq++);
                        piece.setBinaryStream(3, new ByteArrayInputStream(buffer, 0, n), n);
                        piece.executeUpdate();
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the jar " + jar + " to keep it", e);
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot keep the jar " + sha256, e, StoreException::new);
        }
    }

    /** Forgets a jar and its pieces. */
    void drop(String sha256) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement("DELETE FROM jars WHERE sha256 = ?")) {
            st.setString(1, sha256);
            st.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("cannot forget the jar " + sha256, e, StoreException::new);
        }
    }

    /** Writes a kept jar to {@code out} piece by piece (a cursor reads one at a time); false if none is kept. */
    boolean copy(String sha256, OutputStream out) {
        try {
            return Jdbc.inTransaction(pool, db -> {
                try (var kept = db.prepareStatement("SELECT 1 FROM jars WHERE sha256 = ?");
                        var pieces =
                                db.prepareStatement("SELECT bytes FROM jar_chunks WHERE sha256 = ? ORDER BY seq")) {
                    kept.setString(1, sha256);
                    try (var rs = kept.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                    }
                    pieces.setString(1, sha256);
                    pieces.setFetchSize(1); // in a transaction, the driver then fetches through a cursor, row by row
                    try (var rs = pieces.executeQuery()) {
                        while (rs.next()) {
                            try (InputStream piece = rs.getBinaryStream(1)) {
                                piece.transferTo(out);
                            }
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the jar " + sha256 + " out", e);
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the jar " + sha256, e, StoreException::new);
        }
    }
}
