package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.server.access.OidcSettings;
import io.flowhost.server.access.TestIssuer;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server beyond loopback starts only with a token to ask for (its own, or an identity provider's), or when told to
 * run open.
 */
@Tag("e2e")
class SafeDefaultsTest {

    @TempDir
    Path dataDir;

    private ServerSettings everyInterface() {
        return ServerSettings.defaults(dataDir).withPort(0).withHost("0.0.0.0");
    }

    @Test
    void beyondLoopbackWithNoTokenTheServerRefusesToStartSayingWhatToDo() {
        assertThatThrownBy(() -> FlowhostServer.start(everyInterface()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to listen on 0.0.0.0 with no token")
                .hasMessageContaining("flowhost tokens create --scope admin --name root")
                .hasMessageContaining("--oidc-issuer")
                .hasMessageContaining("--insecure");
    }

    @Test
    void withATokenMadeBeforehandItStartsAndAsksForIt() {
        var root = TokenSecrets.issue("root", Scope.ADMIN, Instant.now(), null);
        SqliteStateStore.withTokens(dataDir, tokens -> {
            tokens.add(root.kept());
            return null;
        });

        try (var server = FlowhostServer.start(everyInterface())) {
            var http = new Http(server.uri());
            assertThat(http.get("/v1/status").statusCode()).isEqualTo(401);
            assertThat(http.send(http.request("/v1/status").header("Authorization", "Bearer " + root.token()))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void withOnlyAnIdentityProvidersTokensItStartsAndAsksForThem() {
        try (var idp = new TestIssuer()) {
            var jwks = idp.writeJwks(dataDir.resolve("jwks.json"));
            var oidc = OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation(jwks.toString()));

            try (var server = FlowhostServer.start(everyInterface().withOidc(oidc))) {
                var http = new Http(server.uri());
                assertThat(http.get("/v1/status").statusCode()).isEqualTo(401);
                var reader = idp.token(TestIssuer.claims("dash", "read", Instant.now()));
                assertThat(http.send(http.request("/v1/status").header("Authorization", "Bearer " + reader))
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void toldToRunOpenItStartsOpenUntilTheFirstTokenIsMade() {
        try (var server = FlowhostServer.start(everyInterface().withInsecure(true))) {
            var http = new Http(server.uri());
            assertThat(http.get("/v1/status").statusCode()).isEqualTo(200);
        }
    }
}
