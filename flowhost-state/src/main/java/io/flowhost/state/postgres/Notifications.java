package io.flowhost.state.postgres;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * What other gateways tell this one through PostgreSQL: a transaction sends on a channel ({@code pg_notify},
 * delivered at commit) and this thread LISTENs on a connection of its own. Notifications are lost while that
 * connection is down, so after every reconnect, and every {@link #RECHECK} anyway, each party reads again what it
 * may have missed: the safety net.
 */
final class Notifications implements AutoCloseable {

    /** The ids of requests that reached a final state. */
    static final String FINISHED = "flowhost_finished";

    /** A change every gateway acts on: deployments or published instances changed, or a deployment to wake. */
    static final String CLUSTER = "flowhost_cluster";

    /** How often what may have been missed is read again, notified or not. */
    static final Duration RECHECK = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("flowhost.state");
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(1);

    private final PostgresUrl url;
    private final Map<String, Consumer<String>> channels;
    private final List<Runnable> rechecks = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    /**
     * @param channels what to do with a notification's payload, by channel
     */
    Notifications(PostgresUrl url, Map<String, Consumer<String>> channels) {
        this.url = url;
        this.channels = Map.copyOf(channels);
        this.thread = Thread.ofPlatform().name("state-listener").daemon().start(this::run);
    }

    /** Adds a reading-again of what may have been missed: run after each reconnect and every {@link #RECHECK}. */
    void onRecheck(Runnable recheck) {
        rechecks.add(recheck);
    }

    private void run() {
        boolean reported = false;
        while (!closed) {
            try (var db = DriverManager.getConnection(url.jdbc())) {
                current = db;
                try (var st = db.createStatement()) {
                    for (var channel : channels.keySet()) {
                        st.execute("LISTEN " + channel);
                    }
                }
                if (reported) {
                    LOG.log(Level.INFO, "hearing from other gateways again");
                    reported = false;
                }
                recheckAll(); // what happened while nobody listened
                listen(db.unwrap(PGConnection.class));
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!reported) {
                    LOG.log(
                            Level.WARNING,
                            "lost the connection that hears from other gateways (" + e.getMessage()
                                    + "); reading the database every " + RECHECK.toSeconds()
                                    + " s instead until it is back");
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
                    var handler = channels.get(n.getName());
                    if (handler != null) {
                        handler.accept(n.getParameter());
                    }
                }
            }
            if (System.nanoTime() - nextRecheck >= 0) {
                recheckAll();
                nextRecheck = System.nanoTime() + RECHECK.toNanos();
            }
        }
    }

    private void recheckAll() {
        for (var recheck : rechecks) {
            try {
                recheck.run();
            } catch (RuntimeException e) {
                // the database is away: the next round tries again
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
