package io.flowhost.state.postgres;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the shared state lives, as users write it: {@code postgresql://host[:port]/database?user=...&password=...}
 * (libpq's URL form; {@code postgres://} too). Any other query parameter goes to the JDBC driver as it is, e.g.
 * {@code sslmode=require} or {@code currentSchema=flowhost}.
 *
 * @param jdbc the JDBC URL the driver takes
 * @param safe the URL with any password hidden, for logs and errors
 */
public record PostgresUrl(String jdbc, String safe) {

    /** Whether this {@code --state} value names PostgreSQL (else it is not for this store). */
    public static boolean isPostgres(String state) {
        return state.startsWith("postgresql://") || state.startsWith("postgres://");
    }

    /** Reads a URL, refusing one that is not a PostgreSQL URL with a host and a database, saying what to write. */
    public static PostgresUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("state: '" + hidePassword(text) + "' is not a URL" + EXAMPLE);
        }
        if (!isPostgres(text) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "state: '" + hidePassword(text) + "' is not a postgresql:// URL with a host" + EXAMPLE);
        }
        var path = uri.getRawPath();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw new IllegalArgumentException(
                    "state: '" + hidePassword(text) + "' names no database (one path segment)" + EXAMPLE);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "state: give the user and password as ?user=...&password=..., not" + " before the host" + EXAMPLE);
        }
        var jdbc = "jdbc:postgresql://" + uri.getRawAuthority() + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new PostgresUrl(jdbc, hidePassword(text));
    }

    private static final String EXAMPLE = " (expected e.g. postgresql://db.internal:5432/flowhost?user=flowhost)";

    private static String hidePassword(String text) {
        return text.replaceAll("(?i)([?&]password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return safe;
    }
}
