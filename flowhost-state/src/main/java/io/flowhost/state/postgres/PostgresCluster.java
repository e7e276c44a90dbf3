package io.flowhost.state.postgres;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.state.Cluster;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.SigningKeys;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The gateways' exchange in PostgreSQL: reports and published instances in tables, and news of them on the
 * {@link Notifications#CLUSTER} channel ({@code changed}, or {@code wake:<deployment>}), delivered at commit.
 */
final class PostgresCluster implements Cluster {

    /** Gateways not heard from for this long are forgotten at the next report. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    static final String CHANGED = "changed";
    private static final String WAKE = "wake:";

    private final DataSource pool;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final PostgresJars jars;

    PostgresCluster(DataSource pool) {
        this.pool = pool;
        this.jars = new PostgresJars(pool);
    }

    @Override
    public void report(String gateway, String address, Map<String, Demand> demand, Instant now) {
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var seen = db.prepareStatement(
                                "INSERT INTO gateways (name, address, seen_at) VALUES (?, ?, ?) ON CONFLICT (name) DO"
                                        + " UPDATE SET address = EXCLUDED.address, seen_at = EXCLUDED.seen_at");
                        var forget = db.prepareStatement("DELETE FROM gateways WHERE seen_at < ?");
                        var clear = db.prepareStatement("DELETE FROM gateway_demand WHERE gateway = ?");
                        var insert = db.prepareStatement("INSERT INTO gateway_demand (gateway, deployment_id,"
                                + " in_flight, held, last_arrival) VALUES (?, ?, ?, ?, ?)")) {
                    seen.setString(1, gateway);
                    seen.setString(2, address);
                    seen.setLong(3, now.toEpochMilli());
                    seen.executeUpdate();
                    forget.setLong(1, now.minus(FORGET_AFTER).toEpochMilli());
                    forget.executeUpdate();
                    clear.setString(1, gateway);
                    clear.executeUpdate();
                    for (var e : demand.entrySet()) {
                        insert.setString(1, gateway);
                        insert.setString(2, e.getKey());
                        insert.setInt(3, e.getValue().inFlight());
                        insert.setInt(4, e.getValue().held());
                        if (e.getValue().lastArrival() == null) {
                            insert.setNull(5, Types.BIGINT);
                        } else {
                            insert.setLong(5, e.getValue().lastArrival().toEpochMilli());
                        }
                        insert.addBatch();
                    }
                    if (!demand.isEmpty()) {
                        insert.executeBatch();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot report this gateway's demand", e, StoreException::new);
        }
    }

    @Override
    public Map<String, String> gateways(Instant since) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement("SELECT name, address FROM gateways WHERE seen_at >= ?")) {
            st.setLong(1, since.toEpochMilli());
            var found = new HashMap<String, String>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the gateways", e, StoreException::new);
        }
    }

    @Override
    public Map<String, Demand> demandOfOthers(String self, Instant since) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement("SELECT d.deployment_id, SUM(d.in_flight), SUM(d.held),"
                        + " MAX(d.last_arrival) FROM gateway_demand d JOIN gateways g ON g.name = d.gateway"
                        + " WHERE g.name <> ? AND g.seen_at >= ? GROUP BY d.deployment_id")) {
            st.setString(1, self);
            st.setLong(2, since.toEpochMilli());
            var found = new HashMap<String, Demand>();
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(4);
                    found.put(
                            rs.getString(1),
                            new Demand(rs.getInt(2), rs.getInt(3), rs.wasNull() ? null : Instant.ofEpochMilli(last)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the other gateways' demand", e, StoreException::new);
        }
    }

    @Override
    public void wake(String deploymentId) {
        tell(WAKE + deploymentId);
    }

    @Override
    public void publish(long term, String deploymentId, List<InstanceAddress> ready) {
        var lines = new StringBuilder();
        for (var i : ready) {
            lines.append(i.id())
                    .append(' ')
                    .append(i.address().getHostString())
                    .append(' ')
                    .append(i.address().getPort())
                    .append('\n');
        }
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var st = db.prepareStatement("INSERT INTO instances (deployment_id, term, ready) VALUES (?, ?, ?)"
                                + " ON CONFLICT (deployment_id) DO UPDATE SET term = EXCLUDED.term,"
                                + " ready = EXCLUDED.ready WHERE instances.term <= EXCLUDED.term");
                        var tell = db.prepareStatement("SELECT pg_notify(?, ?)")) {
                    st.setString(1, deploymentId);
                    st.setLong(2, term);
                    st.setString(3, lines.toString());
                    st.executeUpdate();
                    tell.setString(1, Notifications.CLUSTER);
                    tell.setString(2, CHANGED);
                    tell.execute();
                }
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot publish the instances of " + deploymentId, e, StoreException::new);
        }
    }

    @Override
    public Map<String, Published> published() {
        try (var db = pool.getConnection();
                var st = db.prepareStatement("SELECT deployment_id, term, ready FROM instances");
                var rs = st.executeQuery()) {
            var found = new HashMap<String, Published>();
            while (rs.next()) {
                found.put(rs.getString(1), new Published(rs.getLong(2), addresses(rs.getString(3))));
            }
            return found;
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the published instances", e, StoreException::new);
        }
    }

    private static List<InstanceAddress> addresses(String lines) {
        var ready = new ArrayList<InstanceAddress>();
        for (var line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            var parts = line.split(" ");
            ready.add(new InstanceAddress(parts[0], new InetSocketAddress(parts[1], Integer.parseInt(parts[2]))));
        }
        return ready;
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** A notification on the cluster channel, from any gateway (this one too). */
    void heard(String payload) {
        for (var listener : listeners) {
            if (payload.startsWith(WAKE)) {
                listener.wake(payload.substring(WAKE.length()));
            } else {
                listener.changed();
            }
        }
    }

    /** After a reconnect and every few seconds: anything may have changed unheard. */
    void recheck() {
        listeners.forEach(Listener::changed);
    }

    @Override
    public void keepJar(String sha256, Path jar) {
        jars.keep(sha256, jar);
    }

    @Override
    public void dropJar(String sha256) {
        jars.drop(sha256);
    }

    @Override
    public boolean copyJar(String sha256, OutputStream out) {
        return jars.copy(sha256, out);
    }

    @Override
    public byte[] signingKey() {
        try (var db = pool.getConnection();
                var make = db.prepareStatement(
                        "INSERT INTO secrets (name, value) VALUES ('signing-key', ?) ON CONFLICT (name) DO NOTHING");
                var read = db.prepareStatement("SELECT value FROM secrets WHERE name = 'signing-key'")) {
            make.setBytes(1, SigningKeys.random());
            make.executeUpdate();
            try (var rs = read.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the gateways' signing key", e, StoreException::new);
        }
    }

    private void tell(String payload) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, Notifications.CLUSTER);
            st.setString(2, payload);
            st.execute();
        } catch (SQLException e) {
            throw Jdbc.failure("cannot tell the other gateways", e, StoreException::new);
        }
    }
}
