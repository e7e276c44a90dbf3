package io.flowhost.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@link TlsFiles} with the JDK alone; every failure names the flag, the file and what was
 * expected, and for a key in another PEM form says how to convert it.
 */
final class PemFiles {

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    /** What a PKCS#8 key may hold; the JDK has a key factory for each. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";

    private PemFiles() {}

    /** The file's bytes; a missing, unreadable or empty file fails naming the flag. */
    static byte[] read(Path file, String flag) {
        try {
            var bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw invalid(flag, file, "is empty (expected: a PEM file)");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw invalid(flag, file, "no such file");
        } catch (AccessDeniedException e) {
            throw invalid(flag, file, "cannot be read by this user (permission denied)");
        } catch (IOException e) {
            throw invalid(flag, file, "cannot be read (" + e + ")");
        }
    }

    /** The certificates of the {@code BEGIN CERTIFICATE} blocks, in their order in the file. */
    static List<X509Certificate> certificates(byte[] pem, Path file) {
        var certificates = new ArrayList<X509Certificate>();
        try {
            var factory = CertificateFactory.getInstance("X.509");
            for (var block : blocks(pem)) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate)
                            factory.generateCertificate(new ByteArrayInputStream(block.der(TlsFiles.CERT_FLAG, file))));
                }
            }
        } catch (CertificateException e) {
            throw invalid(
                    TlsFiles.CERT_FLAG,
                    file,
                    "holds a CERTIFICATE block that is not an X.509 certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw invalid(
                    TlsFiles.CERT_FLAG,
                    file,
                    "no PEM certificate in it (expected: -----BEGIN CERTIFICATE----- blocks, this server's first)");
        }
        return certificates;
    }

    /** The private key of the file's one {@code BEGIN PRIVATE KEY} block (PKCS#8). */
    static PrivateKey privateKey(byte[] pem, Path file) {
        var flag = TlsFiles.KEY_FLAG;
        var found = blocks(pem);
        for (var block : found) {
            if (block.label().equals("PRIVATE KEY")) {
                return pkcs8(block.der(flag, file), file);
            }
        }
        for (var block : found) {
            switch (block.label()) {
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
                    throw invalid(flag, file, "holds a " + block.label() + " (PKCS#1/SEC1), not PKCS#8; " + CONVERT);
                case "ENCRYPTED PRIVATE KEY" ->
                    throw invalid(flag, file, "holds an encrypted key, and the server takes no password; " + CONVERT);
                default -> {
                    // another block (a certificate, parameters): look on
                }
            }
        }
        throw invalid(flag, file, "no PEM private key in it (expected: -----BEGIN PRIVATE KEY-----, PKCS#8)");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        var spec = new PKCS8EncodedKeySpec(der);
        for (var algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw invalid(
                TlsFiles.KEY_FLAG, file, "holds a PRIVATE KEY block that is no RSA, EC or EdDSA key the JDK can read");
    }

    private static List<Block> blocks(byte[] pem) {
        var blocks = new ArrayList<Block>();
        var m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    static IllegalArgumentException invalid(String flag, Path file, String what) {
        return new IllegalArgumentException(flag + " " + file + ": " + what);
    }

    /** One {@code -----BEGIN label-----} block and its base64 text. */
    private record Block(String label, String base64) {
        byte[] der(String flag, Path file) {
            try {
                return Base64.getMimeDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw invalid(flag, file, "its " + label + " block is not valid base64");
            }
        }
    }
}
