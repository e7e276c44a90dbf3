package io.flowhost.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.server.FlowhostServer;
import io.flowhost.server.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate and key files that will not do stop the start, naming the flag, the file and what to do. */
class TlsFilesTest {

    @TempDir
    Path dir;

    private final TestCertificate certificate = TestCertificate.selfSigned("files-test");

    private Path cert() {
        return dir.resolve("cert.pem");
    }

    private Path key() {
        return dir.resolve("key.pem");
    }

    private String failure() {
        try (var tls = ReloadingTls.start(new TlsFiles(cert(), key()))) {
            throw new AssertionError("the files loaded");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void goodFilesLoad() {
        certificate.writeTo(cert(), key());

        try (var tls = ReloadingTls.start(new TlsFiles(cert(), key()))) {
            assertThat(tls).isNotNull();
        }
    }

    @Test
    void oneFlagWithoutTheOtherSaysWhichIsMissing() {
        assertThatThrownBy(() -> TlsFiles.of(cert(), null))
                .hasMessageStartingWith("--tls-key is missing, --tls-cert " + cert())
                .hasMessageContaining("expected: both");
        assertThat(TlsFiles.of(null, null)).isNull();
    }

    @Test
    void aMissingCertificateFileIsNamed() {
        TestCertificate.write(key(), "");

        assertThat(failure()).isEqualTo("--tls-cert " + cert() + ": no such file");
    }

    @Test
    void aDirectoryIsNotAFile() throws IOException {
        certificate.writeTo(cert(), dir.resolve("elsewhere.pem"));
        Files.createDirectory(key());

        assertThat(failure()).startsWith("--tls-key " + key() + ": cannot be read");
    }

    @Test
    void aCertificateFileWithNoCertificateSaysWhatItExpected() {
        certificate.writeTo(key(), cert()); // swapped: the key where the certificate goes

        assertThat(failure())
                .isEqualTo("--tls-cert " + cert() + ": no PEM certificate in it (expected: -----BEGIN CERTIFICATE-----"
                        + " blocks, this server's first)");
    }

    @Test
    void aKeyFileThatIsNotPemSaysWhatItExpected() {
        certificate.writeTo(cert(), key());
        TestCertificate.write(key(), "not a key\n");

        assertThat(failure())
                .isEqualTo("--tls-key " + key() + ": no PEM private key in it (expected: -----BEGIN PRIVATE KEY-----,"
                        + " PKCS#8)");
    }

    @Test
    void aTraditionalKeyIsRefusedWithTheCommandThatConvertsIt() {
        certificate.writeTo(cert(), key());
        TestCertificate.write(key(), certificate.traditionalKeyPem());

        assertThat(failure())
                .startsWith("--tls-key " + key() + ": holds a EC PRIVATE KEY (PKCS#1/SEC1), not PKCS#8")
                .contains("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        certificate.writeTo(cert(), dir.resolve("its-key.pem"));
        TestCertificate.selfSigned("another").writeTo(dir.resolve("another.pem"), key());

        assertThat(failure())
                .isEqualTo("--tls-key " + key() + ": is not the private key of the certificate in --tls-cert " + cert()
                        + " (CN=files-test); give the key that certificate was made for");
    }

    @Test
    void theServerRefusesToStartBeforeTouchingItsState() throws IOException {
        var dataDir = Files.createDirectory(dir.resolve("data"));
        certificate.writeTo(cert(), dir.resolve("its-key.pem"));
        TestCertificate.write(key(), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        var settings = TestSettings.defaults(dataDir).withTls(new TlsFiles(cert(), key()));

        assertThatThrownBy(() -> FlowhostServer.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--tls-key " + key() + ": holds a PRIVATE KEY block that is no RSA, EC or EdDSA key the"
                        + " JDK can read");
        try (var files = Files.list(dataDir)) {
            assertThat(files).isEmpty();
        }
    }
}
