package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.server.FlowhostServer;
import io.flowhost.server.ServerSettings;
import io.flowhost.server.tls.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS flags: {@code server --tls-cert --tls-key} go together, and a command reaches an {@code https://} server
 * whose certificate it trusts through {@code --ca-cert}, saying what to do when it does not.
 */
@Tag("e2e")
class TlsFlagsTest {

    @TempDir
    static Path dir;

    static FlowhostServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        selfSigned(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        var data = Files.createDirectory(dir.resolve("data"));
        server = FlowhostServer.start(ServerSettings.defaults(data)
                .withPort(0)
                .withTls(new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"))));
        url = server.uri().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aCommandTrustsTheCaItIsGiven() {
        var run = CommandsTest.run(
                "list", "--server", url, "--ca-cert", dir.resolve("cert.pem").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void withoutItTheCommandSaysHowToNameTheCa() {
        var run = CommandsTest.run("list", "--server", url);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no TLS connection to " + url).contains("--ca-cert");
    }

    @Test
    void aCaFileThatIsNotThereIsNamed() {
        var run = CommandsTest.run(
                "list", "--server", url, "--ca-cert", dir.resolve("nope.pem").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--ca-cert " + dir.resolve("nope.pem") + ": no such file");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() {
        var run = CommandsTest.run(
                "server", "--port", "0", "--tls-cert", dir.resolve("cert.pem").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--tls-key is missing");
    }

    @Test
    void aMissingCertificateStopsTheServerNamingIt() {
        var run = CommandsTest.run(
                "server",
                "--port",
                "0",
                "--data-dir",
                dir.resolve("other-data").toString(),
                "--tls-cert",
                dir.resolve("missing.pem").toString(),
                "--tls-key",
                dir.resolve("key.pem").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--tls-cert " + dir.resolve("missing.pem") + ": no such file");
    }

    /** A self-signed certificate for 127.0.0.1 and its PKCS#8 key, made with the JDK's keytool. */
    private static void selfSigned(Path cert, Path key)
            throws IOException, InterruptedException, GeneralSecurityException {
        var store = dir.resolve("store.p12");
        var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        var process = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=cli-test",
                        "-ext",
                        "san=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        var keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        Files.writeString(cert, pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
        Files.writeString(
                key,
                pem(
                        "PRIVATE KEY",
                        keys.getKey("server", "changeit".toCharArray()).getEncoded()));
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }
}
