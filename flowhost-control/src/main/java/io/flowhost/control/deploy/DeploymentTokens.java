package io.flowhost.control.deploy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token a deployment's instances present to fetch its jar: an HMAC of the deployment id under the key every
 * gateway shares, so any gateway checks it without storing one per deployment, and it is good for that deployment
 * only. Compared in constant time.
 */
public final class DeploymentTokens {

    private final Supplier<byte[]> key;
    private volatile byte[] cached;

    /** @param key the shared signing key, read once when first needed */
    public DeploymentTokens(Supplier<byte[]> key) {
        this.key = key;
    }

    /** The deployment's token, as hex. */
    public String tokenFor(String deploymentId) {
        return HexFormat.of().formatHex(mac(deploymentId));
    }

    /** Whether a presented token is the deployment's. */
    public boolean accepts(String deploymentId, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                tokenFor(deploymentId).getBytes(StandardCharsets.US_ASCII),
                presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String deploymentId) {
        var k = cached;
        if (k == null) {
            k = key.get();
            cached = k;
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(("flowhost-deployment:" + deploymentId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
