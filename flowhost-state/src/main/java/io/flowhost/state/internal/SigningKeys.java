package io.flowhost.state.internal;

import java.security.SecureRandom;

/** Random keys for signing tokens. */
public final class SigningKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SigningKeys() {}

    /** 256 random bits. */
    public static byte[] random() {
        var key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }
}
