package io.flowhost.state.postgres;

import io.flowhost.state.internal.Waiters;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Wakes this gateway's long polls when any gateway finishes a request: every transaction that moves requests to a
 * final state sends their ids on {@link #CHANNEL} ({@code pg_notify}, delivered at commit), and this thread
 * LISTENs on a connection of its own. Notifications are lost while that connection is down, so after every
 * reconnect, and every {@link #RECHECK} anyway, the requests waited for are read again: the safety net.
 */
final class FinishedListener implements AutoCloseable {

    /** The channel the ids of finished requests go on. */
    static final String CHANNEL = "flowhost_finished";

    private static final System.Logger LOG = System.getLogger("flowhost.state");
    private static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

    private final PostgresUrl url;
    private final Waiters waiters;
    private final Consumer<String> recheck;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    /**
     * @param recheck reads one waited-for request again and wakes its waiters if it is final
     */
    FinishedListener(PostgresUrl url, Waiters waiters, Consumer<String> recheck) {
        this.url = url;
        this.waiters = waiters;
        this.recheck = recheck;
        this.thread = Thread.ofPlatform().name("requests-listener").daemon().start(this::run);
    }

    private void run() {
        boolean reported = false;
        while (!closed) {
            try (var db = DriverManager.getConnection(url.jdbc())) {
                current = db;
                try (var st = db.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                if (reported) {
                    LOG.log(Level.INFO, "listening for finished requests again");
                    reported = false;
                }
                recheckAll(); // what finished while nobody listened
                listen(db.unwrap(PGConnection.class));
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!reported) {
                    LOG.log(
                            Level.WARNING,
                            "lost the connection that hears of requests finished on other gateways (" + e.getMessage()
                                    + "); long polls fall back to reading the database every "
                                    + RECHECK.toSeconds() + " s until it is back");
                    reported = true;
                }
                recheckAll();
                sleep(RECONNECT_AFTER);
            } finally {
                current = null;
            }
        }
    }

    private void listen(PGConnection db) throws SQLException {
        long nextRecheck = System.nanoTime() + RECHECK.toNanos();
        while (!closed) {
            var notifications = db.getNotifications((int) RECHECK.toMillis());
            if (notifications != null) {
                for (var n : notifications) {
                    waiters.finished(n.getParameter());
                }
            }
            if (System.nanoTime() - nextRecheck >= 0) {
                recheckAll();
                nextRecheck = System.nanoTime() + RECHECK.toNanos();
            }
        }
    }

    private void recheckAll() {
        for (var id : waiters.waitedFor()) {
            try {
                recheck.accept(id);
            } catch (RuntimeException e) {
                return; // the database is away: the next round tries again
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        var db = current;
        if (db != null) {
            try {
                db.close(); // ends a getNotifications that is waiting
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
