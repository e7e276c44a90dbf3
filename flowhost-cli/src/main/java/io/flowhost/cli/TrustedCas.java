package io.flowhost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CAs an {@code https://} server's certificate is checked against: the JDK's own (a server with a publicly
 * trusted certificate needs nothing), or, as curl's {@code --cacert} does, only those of a PEM file the user names
 * with {@code --ca-cert} or {@code FLOWHOST_CA_CERT}: a private CA, or a self-signed server's own certificate.
 */
final class TrustedCas {

    private TrustedCas() {}

    /** An SSL context trusting the certificates of the PEM file given as {@code option}. */
    static SSLContext from(Path file, String option) {
        try (InputStream in = Files.newInputStream(file)) {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new CliException(option + " " + file + ": no PEM certificate in it", 2);
            }
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new CliException(option + " " + file + ": no such file", 2);
        } catch (AccessDeniedException e) {
            throw new CliException(option + " " + file + ": cannot be read (permission denied)", 2);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(option + " " + file + ": not a PEM certificate file (" + e.getMessage() + ")", 2);
        }
    }
}
