package io.flowhost.domain.request;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes request ids: 128 random bits as 22 URL-safe characters, so nobody can guess another caller's id. */
public final class RequestIds {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    /** A new id, e.g. {@code 3q2-7wAAQSkZJRgABAQEAYA}. */
    public String next() {
        var bytes = new byte[16];
        random.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }
}
