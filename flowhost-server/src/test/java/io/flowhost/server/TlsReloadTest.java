package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.server.tls.TestCertificate;
import io.flowhost.server.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate files are read again when they change: a new connection gets the new certificate while the
 * server serves on, connections already open included; a change that does not load leaves the certificate in use,
 * with a warning that says why.
 */
@Tag("e2e")
class TlsReloadTest {

    private static final Duration RELOADED = Duration.ofSeconds(30);

    private final TestCertificate first = TestCertificate.selfSigned("first");
    private final TestCertificate second = TestCertificate.selfSigned("second");
    private final SSLContext trustBoth = TestCertificate.trusting(first, second);
    private final Logger tlsLog = Logger.getLogger("flowhost.tls"); // held: JUL keeps its loggers weakly
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @TempDir
    Path dataDir;

    @TempDir
    Path certs;

    private FlowhostServer server;

    @BeforeEach
    void listen() {
        tlsLog.addHandler(capture);
    }

    @AfterEach
    void stop() {
        tlsLog.removeHandler(capture);
        if (server != null) {
            server.close();
        }
    }

    private void start(Path cert, Path key) {
        server = FlowhostServer.start(TestSettings.defaults(dataDir).withTls(new TlsFiles(cert, key)));
    }

    @Test
    void newConnectionsGetTheNewCertificateWhileOpenOnesServeOn() {
        var cert = certs.resolve("cert.pem");
        var key = certs.resolve("key.pem");
        first.writeTo(cert, key);
        start(cert, key);
        var open = new Http(server.uri(), trustBoth, HttpClient.Version.HTTP_2);
        assertThat(open.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(served().getSubjectX500Principal().getName()).isEqualTo(first.subject());

        replace(cert, key, second);

        await().atMost(RELOADED)
                .until(() -> served().getSubjectX500Principal().getName().equals(second.subject()));
        assertThat(open.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aSecretSwappedByItsSymlinkAsKubernetesDoesIsSeen() throws IOException {
        // The layout of a mounted Secret: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>, swapped at once.
        version("..2026_01", first);
        Files.createSymbolicLink(certs.resolve("..data"), Path.of("..2026_01"));
        Files.createSymbolicLink(certs.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(certs.resolve("tls.key"), Path.of("..data/tls.key"));
        start(certs.resolve("tls.crt"), certs.resolve("tls.key"));
        assertThat(served().getSubjectX500Principal().getName()).isEqualTo(first.subject());

        version("..2026_02", second);
        Files.createSymbolicLink(certs.resolve("..data_tmp"), Path.of("..2026_02"));
        Files.move(certs.resolve("..data_tmp"), certs.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(RELOADED)
                .until(() -> served().getSubjectX500Principal().getName().equals(second.subject()));
    }

    @Test
    void aChangeThatDoesNotLoadKeepsTheCertificateInUseAndSaysWhy() throws IOException {
        var cert = certs.resolve("cert.pem");
        var key = certs.resolve("key.pem");
        first.writeTo(cert, key);
        start(cert, key);

        Files.writeString(cert, second.certificatePem()); // the new certificate, its key not yet there

        await().atMost(RELOADED).until(() -> mismatch() != null);
        assertThat(mismatch())
                .contains("--tls-key " + key)
                .contains("new connections keep the certificate loaded before (CN=first");
        assertThat(served().getSubjectX500Principal().getName()).isEqualTo(first.subject());
        assertThat(new Http(server.uri(), trustBoth, HttpClient.Version.HTTP_2)
                        .get("/healthz")
                        .statusCode())
                .isEqualTo(200);

        replace(cert, key, second); // and then the key comes

        await().atMost(RELOADED)
                .until(() -> served().getSubjectX500Principal().getName().equals(second.subject()));
    }

    private String mismatch() {
        return warnings.stream()
                .map(LogRecord::getMessage)
                .filter(m -> m.contains("is not the private key of the certificate"))
                .findFirst()
                .orElse(null);
    }

    /** The certificate the server presents to a new connection. */
    private X509Certificate served() {
        try (var socket = (SSLSocket) trustBoth.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the certificate and key beside the files and moves them in, each at once, as a deploy tool would. */
    private void replace(Path cert, Path key, TestCertificate with) {
        try {
            var newCert = Files.createTempFile(certs, "cert", ".tmp");
            var newKey = Files.createTempFile(certs, "key", ".tmp");
            with.writeTo(newCert, newKey);
            Files.move(newKey, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(newCert, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void version(String name, TestCertificate certificate) throws IOException {
        var dir = Files.createDirectory(certs.resolve(name));
        certificate.writeTo(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    }
}
