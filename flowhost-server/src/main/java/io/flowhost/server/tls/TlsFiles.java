package io.flowhost.server.tls;

import java.nio.file.Path;

/**
 * The gateway's certificate and key as PEM files ({@code --tls-cert}, {@code --tls-key}): given, the port speaks TLS
 * only, and the files are read again whenever they change.
 *
 * @param cert the certificate chain, the server's own certificate first ({@code BEGIN CERTIFICATE} blocks)
 * @param key the certificate's private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), not encrypted
 */
public record TlsFiles(Path cert, Path key) {

    public static final String CERT_FLAG = "--tls-cert";
    public static final String KEY_FLAG = "--tls-key";

    public TlsFiles {
        if (cert == null || key == null) {
            throw new IllegalArgumentException((cert == null
                            ? CERT_FLAG + " is missing, " + KEY_FLAG + " " + key
                            : KEY_FLAG + " is missing, " + CERT_FLAG + " " + cert)
                    + " (expected: both, the certificate chain and its private key as PEM files, or neither"
                    + " for plain HTTP)");
        }
    }

    /** Both files, or null when neither is given; one without the other fails, naming the one missing. */
    public static TlsFiles of(Path cert, Path key) {
        return cert == null && key == null ? null : new TlsFiles(cert, key);
    }
}
