package io.flowhost.server.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * A certificate chain and its key, read from the PEM files and checked (the key is the certificate's), as the
 * server-side TLS context of new connections: TLS 1.3 and 1.2 with the ciphers HTTP/2 allows, offering {@code h2}
 * and {@code http/1.1} by ALPN, on the JDK's TLS (no native library).
 *
 * @param context what new connections' TLS handlers are made from
 * @param chain the certificates, the server's own first
 */
record TlsContext(SslContext context, List<X509Certificate> chain) {

    /** Reads and checks both files' contents; any problem fails naming the flag and the file. */
    static TlsContext of(TlsFiles files, byte[] certPem, byte[] keyPem) {
        var chain = PemFiles.certificates(certPem, files.cert());
        var key = PemFiles.privateKey(keyPem, files.key());
        if (!matches(key, chain.getFirst().getPublicKey())) {
            throw PemFiles.invalid(
                    TlsFiles.KEY_FLAG,
                    files.key(),
                    "is not the private key of the certificate in " + TlsFiles.CERT_FLAG + " " + files.cert() + " ("
                            + chain.getFirst().getSubjectX500Principal().getName()
                            + "); give the key that certificate was made for");
        }
        try {
            var context = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            Protocol.ALPN,
                            // A client that offers neither gets no ALPN answer and speaks HTTP/1.1.
                            SelectorFailureBehavior.NO_ADVERTISE,
                            SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
            return new TlsContext(context, chain);
        } catch (SSLException e) {
            throw PemFiles.invalid(TlsFiles.CERT_FLAG, files.cert(), "cannot be used for TLS (" + e.getMessage() + ")");
        }
    }

    /** The server's certificate, for logs: {@code CN=api.example.com, valid until 2027-03-01T00:00:00Z}. */
    String describe() {
        var own = chain.getFirst();
        return own.getSubjectX500Principal().getName() + ", valid until "
                + own.getNotAfter().toInstant();
    }

    /** What a client will say of the certificate's dates at this instant, if anything: expired or not yet valid. */
    String dateProblem(Instant now) {
        var own = chain.getFirst();
        if (now.isAfter(own.getNotAfter().toInstant())) {
            return "expired at " + own.getNotAfter().toInstant() + ": clients will refuse it";
        }
        if (now.isBefore(own.getNotBefore().toInstant())) {
            return "is not valid before " + own.getNotBefore().toInstant() + ": clients will refuse it until then";
        }
        return null;
    }

    /**
     * Whether the key is the certificate's: a nonce it signs verifies with the certificate's public key. The JDK's
     * key store takes a mismatched pair without a word, and every handshake would then fail.
     */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        var algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> null; // RSASSA-PSS keys need their parameters: the handshake is their check
        };
        if (algorithm == null) {
            return true;
        }
        try {
            var nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            var signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            var signature = signer.sign();
            var verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another kind than the certificate's
        }
    }
}
