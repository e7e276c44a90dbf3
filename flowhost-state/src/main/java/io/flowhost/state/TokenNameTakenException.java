package io.flowhost.state;

/** A token was to be kept under a name another token has. */
public final class TokenNameTakenException extends RuntimeException {

    public TokenNameTakenException(String name) {
        super("a token named '" + name + "' exists already: revoke it first, or choose another name");
    }
}
