package io.flowhost.state.postgres;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.state.StoreException;
import io.flowhost.state.TokenStore;
import io.flowhost.state.internal.TokenRows;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Tokens in PostgreSQL, so that a token made through one gateway is accepted, and revoked, on all of them. */
final class PostgresTokenStore implements TokenStore {

    private final DataSource pool;

    PostgresTokenStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void add(ApiToken token) {
        // Autocommit: after a refused insert (another gateway took the name a moment before) the name is looked up
        // again to say so, which an aborted transaction would not allow.
        try (var db = pool.getConnection()) {
            TokenRows.add(db, token);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot keep token '" + token.name() + "'", e, StoreException::new);
        }
    }

    @Override
    public Optional<ApiToken> bySha256(String sha256) {
        try (var db = pool.getConnection()) {
            return TokenRows.bySha256(db, sha256);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot look a token up", e, StoreException::new);
        }
    }

    @Override
    public List<ApiToken> list() {
        try (var db = pool.getConnection()) {
            return TokenRows.list(db);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot list the tokens", e, StoreException::new);
        }
    }

    @Override
    public boolean revoke(String name) {
        try (var db = pool.getConnection()) {
            return TokenRows.revoke(db, name);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot revoke token '" + name + "'", e, StoreException::new);
        }
    }
}
