package io.flowhost.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The TLS of the gateway's port: read from its PEM files at start (failing there, saying what is wrong), and read
 * again whenever their contents change, for new connections; connections already open keep theirs. A change that
 * does not load (a key that is not the certificate's yet, half of a swap) leaves the current certificate in use
 * with a warning that says why, and is tried again once the files change again.
 *
 * <p>The files' contents are compared, not their change times or inotify events: cert-manager and Kubernetes
 * Secrets swap a symlink to a new directory, which a watch on the file does not see, and reading two small files
 * every {@link #CHECK_EVERY} costs next to nothing.
 */
public final class ReloadingTls implements AutoCloseable {

    /** How often the files are read for a change. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger("flowhost.tls");

    private final TlsFiles files;
    private final Clock clock;
    private final ScheduledExecutorService checks;
    private volatile TlsContext current;
    private byte[] seenCert;
    private byte[] seenKey;
    private String lastProblem;

    private ReloadingTls(TlsFiles files, Clock clock, byte[] cert, byte[] key, TlsContext first) {
        this.files = files;
        this.clock = clock;
        this.seenCert = cert;
        this.seenKey = key;
        this.current = first;
        this.checks = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("tls-reload").factory());
    }

    /** Loads the files (failing with what is wrong with them) and checks them for changes from then on. */
    public static ReloadingTls start(TlsFiles files) {
        var cert = PemFiles.read(files.cert(), TlsFiles.CERT_FLAG);
        var key = PemFiles.read(files.key(), TlsFiles.KEY_FLAG);
        var first = TlsContext.of(files, cert, key);
        var tls = new ReloadingTls(files, Clock.systemUTC(), cert, key, first);
        tls.loaded(first, "TLS on");
        long every = CHECK_EVERY.toMillis();
        tls.checks.scheduleWithFixedDelay(tls::check, every, every, TimeUnit.MILLISECONDS);
        return tls;
    }

    /** A TLS handler for a new connection, with the certificate loaded last. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return current.context().newHandler(alloc);
    }

    /** Reads the files; if either changed since last read, loads them for new connections. */
    void check() {
        try {
            var cert = PemFiles.read(files.cert(), TlsFiles.CERT_FLAG);
            var key = PemFiles.read(files.key(), TlsFiles.KEY_FLAG);
            if (Arrays.equals(cert, seenCert) && Arrays.equals(key, seenKey)) {
                return;
            }
            seenCert = cert;
            seenKey = key;
            var next = TlsContext.of(files, cert, key);
            current = next;
            lastProblem = null;
            loaded(next, "TLS certificate reloaded");
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(lastProblem)) { // once per problem, not every few seconds
                lastProblem = e.getMessage();
                LOG.log(
                        Level.WARNING,
                        "cannot reload TLS: " + e.getMessage() + "; new connections keep the certificate loaded"
                                + " before (" + current.describe() + ")");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checking the TLS files for a change failed; trying again", e);
        }
    }

    private void loaded(TlsContext context, String what) {
        LOG.log(
                Level.INFO,
                what + ": " + context.describe() + ", from " + TlsFiles.CERT_FLAG + " " + files.cert()
                        + " (read again when it changes); HTTP/2 for clients that offer it, else HTTP/1.1");
        var problem = context.dateProblem(clock.instant());
        if (problem != null) {
            LOG.log(Level.WARNING, "the certificate in " + TlsFiles.CERT_FLAG + " " + files.cert() + " " + problem);
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
