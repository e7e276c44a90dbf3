package io.flowhost.state;

import io.flowhost.domain.access.ApiToken;
import java.util.List;
import java.util.Optional;

/** The tokens the management API accepts, kept as hashes, shared by every gateway on the same state. */
public interface TokenStore {

    /** Keeps a new token; {@link TokenNameTakenException} when one of that name is kept already. */
    void add(ApiToken token);

    /** The token with this SHA-256 (lower-case hex), expired or not. */
    Optional<ApiToken> bySha256(String sha256);

    /** Every token kept, by name. */
    List<ApiToken> list();

    /** Forgets the token of that name at once, on every gateway; false when there was none. */
    boolean revoke(String name);
}
