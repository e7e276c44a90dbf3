package io.flowhost.domain.request;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an {@code Idempotency-Key} is bound to, as the IETF Idempotency-Key draft asks: a SHA-256 of the request's
 * method, path, content type and body. The same key with the same fingerprint is the same request sent again; with
 * another, it is a different request, refused.
 */
final class Fingerprint {

    private Fingerprint() {}

    /** The hex SHA-256 of {@code POST /v1/services/{service}/{endpoint}}, the content type and the body. */
    static String of(String service, String endpoint, String contentType, byte[] body) {
        var digest = sha256();
        // Each part with its length first, so that no two different requests run together into the same bytes.
        for (var part : new String[] {"POST", "/v1/services/" + service + "/" + endpoint, contentType}) {
            var bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
            digest.update(ByteBuffer.allocate(Integer.BYTES)
                    .putInt(part == null ? -1 : bytes.length)
                    .array());
            digest.update(bytes);
        }
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(body.length).array());
        digest.update(body);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
