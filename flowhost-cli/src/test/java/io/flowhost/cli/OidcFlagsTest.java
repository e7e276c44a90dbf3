package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --oidc-*} flags go together, and a value the server cannot use stops it at once saying what to give. */
class OidcFlagsTest {

    private static final String ISSUER = "https://login.example.test/realms/ml";

    @TempDir
    Path dataDir;

    private CommandsTest.Run server(String... more) {
        return CommandsTest.server(dataDir, more);
    }

    @Test
    void anOidcFlagWithoutTheIssuerSaysToGiveIt() {
        var run = server("--oidc-audience", "flowhost");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--oidc-audience is given without --oidc-issuer");
    }

    @Test
    void theIssuerWithoutItsKeysSaysWhereToFindThem() {
        var run = server("--oidc-issuer", ISSUER);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("--oidc-issuer needs --oidc-jwks")
                .contains(ISSUER + "/.well-known/openid-configuration");
    }

    @Test
    void keysNeitherInAFileNorAtAnHttpsUrlAreRefused() {
        var run = server("--oidc-issuer", ISSUER, "--oidc-jwks", "ftp://login.example.test/certs");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid setting: oidc-jwks: 'ftp://login.example.test/certs'");
    }

    @Test
    void aKeysFileThatIsNotThereStopsTheServer() {
        var missing = dataDir.resolve("jwks.json");
        var run = server("--oidc-issuer", ISSUER, "--oidc-jwks", missing.toString());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("oidc-jwks: cannot read " + missing);
    }

    @Test
    void theHelpListsThem() {
        var help = CommandsTest.run("server", "--help");

        assertThat(help.out())
                .contains("--oidc-issuer=URL")
                .contains("--oidc-jwks=FILE|URL")
                .contains("--oidc-audience=AUD")
                .contains("--oidc-scope-claim=NAME")
                .contains("--oidc-scope-prefix=PREFIX")
                .contains("--oidc-name-claim=NAME");
    }
}
