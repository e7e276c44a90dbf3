package io.flowhost.state.sqlite;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.state.StoreException;
import io.flowhost.state.TokenStore;
import io.flowhost.state.internal.TokenRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Tokens in an SQLite table: one connection behind a lock; a lookup is one indexed read. */
final class SqliteTokenStore implements TokenStore, AutoCloseable {

    private final Connection db;

    private SqliteTokenStore(Connection db) {
        this.db = db;
    }

    static SqliteTokenStore open(Path file) {
        try {
            return new SqliteTokenStore(FlowhostDb.open(file));
        } catch (SQLException e) {
            throw new StoreException("cannot open the tokens in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void add(ApiToken token) {
        try {
            TokenRows.add(db, token);
        } catch (SQLException e) {
            throw new StoreException("cannot keep token '" + token.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Optional<ApiToken> bySha256(String sha256) {
        try {
            return TokenRows.bySha256(db, sha256);
        } catch (SQLException e) {
            throw new StoreException("cannot look a token up: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<ApiToken> list() {
        try {
            return TokenRows.list(db);
        } catch (SQLException e) {
            throw new StoreException("cannot list the tokens: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean revoke(String name) {
        try {
            return TokenRows.revoke(db, name);
        } catch (SQLException e) {
            throw new StoreException("cannot revoke token '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
