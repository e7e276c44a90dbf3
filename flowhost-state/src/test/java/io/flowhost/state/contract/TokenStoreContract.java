package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.access.Rate;
import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.state.TokenNameTakenException;
import io.flowhost.state.TokenStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every token store does: keeps hashes only, finds a token by its hash, refuses a name twice, forgets on revoke. */
public abstract class TokenStoreContract {

    /** The store under test, opened in {@code place} (again, to see what it kept). */
    protected abstract TokenStore open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(TokenStore store);

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path place;

    private TokenStore store;

    @BeforeEach
    void openStore() {
        store = open(place);
    }

    @AfterEach
    void closeStore() {
        close(store);
    }

    @Test
    void aTokenIsFoundByItsHashAndKeptAcrossAReopen() {
        var ci = TokenSecrets.issue("ci", Scope.DEPLOY, T, T.plusSeconds(3600));
        var caller = TokenSecrets.issue("iris-caller", Scope.invoke("iris"), T, null);
        store.add(ci.kept());
        var rated = caller.kept().withRate(new Rate(50, 100));
        store.add(rated);

        close(store);
        store = open(place);

        assertThat(store.bySha256(TokenSecrets.sha256(ci.token()))).contains(ci.kept());
        assertThat(store.bySha256(TokenSecrets.sha256(caller.token()))).contains(rated);
        assertThat(store.bySha256(TokenSecrets.sha256("fh_not-one-of-ours"))).isEmpty();
        assertThat(store.list()).containsExactly(ci.kept(), rated);
    }

    @Test
    void aNameIsTakenOnceUntilItsTokenIsRevoked() {
        var first = TokenSecrets.issue("ci", Scope.READ, T, null);
        store.add(first.kept());

        assertThatThrownBy(() ->
                        store.add(TokenSecrets.issue("ci", Scope.ADMIN, T, null).kept()))
                .isInstanceOf(TokenNameTakenException.class)
                .hasMessageContaining("'ci' exists already");
        assertThat(store.list()).containsExactly(first.kept());

        assertThat(store.revoke("ci")).isTrue();
        assertThat(store.revoke("ci")).as("gone already").isFalse();
        assertThat(store.bySha256(first.kept().sha256())).isEmpty();
        var again = TokenSecrets.issue("ci", Scope.ADMIN, T, null);
        store.add(again.kept());
        assertThat(store.list()).containsExactly(again.kept());
    }
}
