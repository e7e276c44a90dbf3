package io.flowhost.server.access;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An issuer's keys kept in a file ({@code --oidc-jwks FILE}): read at start, and again when the file changes (its
 * time, size or identity, as a replacement by rename changes) or when a token names a key it lacks (at most once a
 * second, for an edit too quick for the file's time to show). A file that cannot be read or parsed any more leaves
 * the keys it held last in use, with a warning. Only the public keys are kept: a file that holds private or secret
 * ones is warned about.
 */
final class JwksFile implements JWKSetSource<SecurityContext> {

    private static final System.Logger LOG = System.getLogger("flowhost.server");

    /** The least time between two reads asked for by a token naming a key the file lacks. */
    static final Duration REREAD_AT_MOST_EVERY = Duration.ofSeconds(1);

    /** What identifies one version of the file without reading it. */
    private record Stamp(FileTime modified, long size, Object fileKey) {}

    private record Read(JWKSet keys, Stamp stamp, long atNanos) {}

    private final Path file;
    private final LongSupplier nanos;
    private volatile Read last;

    /** Reads the file now: one that cannot be read, or holds no public key, fails with what to do. */
    JwksFile(Path file, LongSupplier nanos) {
        this.file = file;
        this.nanos = nanos;
        var stamp = stamp();
        if (stamp == null) {
            throw new IllegalArgumentException("oidc-jwks: cannot read " + file
                    + " (expected: the issuer's JWKS, a JSON document {\"keys\": [...]}, saved from its jwks_uri)");
        }
        try {
            last = new Read(parse(), stamp, nanos.getAsLong());
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException(
                    "oidc-jwks: " + file + " is not a JWKS ({\"keys\": [...]}): " + e.getMessage());
        }
    }

    /** How many public keys the file held when last read. */
    int size() {
        return last.keys().size();
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refresh, long currentTime, SecurityContext context) {
        var known = last;
        var stamp = stamp();
        boolean changed = stamp != null && !stamp.equals(known.stamp());
        boolean asked = refresh.requiresRefresh(known.keys())
                && nanos.getAsLong() - known.atNanos() >= REREAD_AT_MOST_EVERY.toNanos();
        if (changed || asked) {
            reread(known, stamp);
        }
        return last.keys();
    }

    private synchronized void reread(Read known, Stamp stamp) {
        if (last != known) {
            return; // another thread read it meanwhile
        }
        try {
            var keys = parse();
            last = new Read(keys, stamp, nanos.getAsLong());
            if (!keys.toString().equals(known.keys().toString())) {
                LOG.log(Level.INFO, "OIDC: read " + keys.size() + " key(s) from " + file + " again");
            }
        } catch (IOException | ParseException e) {
            // Half written, or replaced by something else: the keys of the last good read stay in use.
            last = new Read(known.keys(), Objects.requireNonNullElse(stamp, known.stamp()), nanos.getAsLong());
            LOG.log(
                    Level.WARNING,
                    "OIDC: " + file + " changed but is not a JWKS (" + e.getMessage() + "); the "
                            + known.keys().size() + " key(s) read before stay in use");
        }
    }

    private JWKSet parse() throws IOException, ParseException {
        var read = JWKSet.parse(Files.readString(file));
        var publicOnly = read.toPublicJWKSet();
        if (publicOnly.size() != read.size() || read.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            LOG.log(
                    Level.WARNING,
                    "OIDC: " + file + " holds private or secret keys; only its public keys are used. Keep the issuer's"
                            + " private keys off the gateways: save its public JWKS instead");
        }
        if (publicOnly.isEmpty()) {
            throw new ParseException("it holds no public key", 0);
        }
        return publicOnly;
    }

    /** The file's time, size and identity now, or null when it cannot be read (being replaced, or gone). */
    private Stamp stamp() {
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {}
}
