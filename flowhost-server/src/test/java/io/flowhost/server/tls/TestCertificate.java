package io.flowhost.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1} with its EC key, made by the test, written
 * as the PEM files a server is given, and trusted by the test's clients.
 *
 * <pre>{@code
 * var cert = TestCertificate.selfSigned("flowhost-test");
 * cert.writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
 * HttpClient.newBuilder().sslContext(TestCertificate.trusting(cert)).build();
 * }</pre>
 */
public record TestCertificate(X509Certificate certificate, KeyPair keys) {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A new key and a certificate for it, valid from a day ago for {@code validFor}, named {@code CN=name}. */
    public static TestCertificate selfSigned(String name, Duration validFor) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var keys = generator.generateKeyPair();
            var subject = new X500Name("CN=" + name);
            var now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    subject,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(validFor)),
                    subject,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new TestCertificate(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** A certificate valid for a day more. */
    public static TestCertificate selfSigned(String name) {
        return selfSigned(name, Duration.ofDays(1));
    }

    /** Writes the certificate (PEM) and its key (PEM, PKCS#8) to these files. */
    public void writeTo(Path certFile, Path keyFile) {
        write(certFile, certificatePem());
        write(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    /** The certificate as a PEM block. */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key in OpenSSL's traditional form ({@code BEGIN EC PRIVATE KEY}, SEC1), which the server does not take. */
    public String traditionalKeyPem() {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(keys.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The certificate's subject, as the server logs it and a client reads it. */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** A client TLS context that trusts these certificates and no other. */
    public static SSLContext trusting(TestCertificate... certificates) {
        try {
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("test-" + i, certificates[i].certificate());
            }
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
