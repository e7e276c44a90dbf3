package io.flowhost.cli;

import io.flowhost.server.access.OidcSettings;
import picocli.CommandLine.Option;

/** Single sign-on: the JWTs of an identity provider, as flags of {@code server} and {@code serve}. */
final class OidcOptions {

    @Option(
            names = "--oidc-issuer",
            paramLabel = "URL",
            description = "Accept the JWTs of this OpenID Connect issuer too, beside flowhost's own tokens: their iss"
                    + " must be exactly this, e.g. https://login.example.com/realms/ml. Needs --oidc-jwks.")
    String issuer;

    @Option(
            names = "--oidc-jwks",
            paramLabel = "FILE|URL",
            description = "The issuer's public keys (JWKS): its jwks_uri (https://..., fetched and cached, refreshed"
                    + " every 5 minutes and for a key it lacks) or a file (read again when it changes).")
    String jwks;

    @Option(
            names = "--oidc-audience",
            paramLabel = "AUD",
            description = "Accept only JWTs whose aud names this, e.g. flowhost (recommended: without it, a token the"
                    + " issuer made for another application is accepted too).")
    String audience;

    @Option(
            names = "--oidc-scope-claim",
            paramLabel = "NAME",
            description = "The claim that holds a JWT's flowhost scopes, a space-separated string or an array of"
                    + " strings: admin, deploy, read, invoke:SERVICE; other entries are ignored (default: scope).")
    String scopeClaim;

    @Option(
            names = "--oidc-scope-prefix",
            paramLabel = "PREFIX",
            description = "Read only the entries of that claim that start with this, without it: with flowhost:,"
                    + " flowhost:deploy is deploy and deploy is ignored (default: none).")
    String scopePrefix;

    @Option(
            names = "--oidc-name-claim",
            paramLabel = "NAME",
            description = "The claim that names a JWT's bearer in logs, metrics and X-Flowhost-Caller, as"
                    + " oidc:<value> (default: sub).")
    String nameClaim;

    /** The issuer these flags describe, or null when none is given; the record checks the values. */
    OidcSettings settings() {
        if (issuer == null) {
            for (var given : new String[][] {
                {"--oidc-jwks", jwks},
                {"--oidc-audience", audience},
                {"--oidc-scope-claim", scopeClaim},
                {"--oidc-scope-prefix", scopePrefix},
                {"--oidc-name-claim", nameClaim}
            }) {
                if (given[1] != null) {
                    throw new CliException(
                            given[0] + " is given without --oidc-issuer: give the issuer whose tokens to accept too",
                            2);
                }
            }
            return null;
        }
        if (jwks == null) {
            throw new CliException(
                    "--oidc-issuer needs --oidc-jwks: where the issuer publishes its keys (the jwks_uri of "
                            + issuer.strip() + "/.well-known/openid-configuration, or a file saved from it)",
                    2);
        }
        return new OidcSettings(issuer, OidcSettings.jwksLocation(jwks), audience, scopeClaim, scopePrefix, nameClaim);
    }
}
