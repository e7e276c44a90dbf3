package io.flowhost.state.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Turns deployments into rows of the {@code deployments} table and back, in any SQL store: maps as JSON text. */
public final class DeploymentRows {

    /** Every column, in the order {@link #bind} and {@link #read} take them. */
    public static final String COLUMNS =
            "id, service, version, jar_sha256, jar_path, descriptor, settings, state, created_at, pins, model, scaling,"
                    + " retention, resources, access, variant, rollout";

    /** Inserts a whole deployment. */
    public static final String INSERT =
            "INSERT INTO deployments (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};

    private DeploymentRows() {}

    /** Binds every column of {@link #INSERT}. */
    public static void bind(PreparedStatement st, Deployment d) throws SQLException, JsonProcessingException {
        st.setString(1, d.id());
        st.setString(2, d.service());
        st.setInt(3, d.version());
        st.setString(4, d.jarSha256());
        st.setString(5, d.jar() == null ? "" : d.jar().toString());
        st.setString(6, JSON.writeValueAsString(d.descriptor()));
        st.setString(7, JSON.writeValueAsString(d.settings()));
        st.setString(8, d.state().name());
        st.setString(9, d.createdAt().toString());
        st.setString(10, JSON.writeValueAsString(d.pins()));
        st.setString(11, d.model());
        st.setString(12, JSON.writeValueAsString(d.scaling().toMap()));
        st.setString(13, JSON.writeValueAsString(d.retention().toMap()));
        st.setString(14, JSON.writeValueAsString(d.resources().toMap()));
        st.setString(15, JSON.writeValueAsString(d.access().toMap()));
        st.setString(16, d.variant().label());
        st.setString(17, RolloutRows.write(d.rollout()));
    }

    /** Updates a deployment's state, variant and rollout: the parts of a deployment that change as it rolls out. */
    public static final String UPDATE = "UPDATE deployments SET state = ?, variant = ?, rollout = ? WHERE id = ?";

    /** Binds {@link #UPDATE}. */
    public static void bindUpdate(PreparedStatement st, Deployment d) throws SQLException, JsonProcessingException {
        st.setString(1, d.state().name());
        st.setString(2, d.variant().label());
        st.setString(3, RolloutRows.write(d.rollout()));
        st.setString(4, d.id());
    }

    /**
     * Retires the service's other active deployments that {@code d} replaces (parameters: service, id, variant): a
     * primary replaces every other, a canary or shadow only the one of those before it.
     */
    public static final String RETIRE_REPLACED =
            "UPDATE deployments SET state = 'RETIRED' WHERE service = ? AND id <> ?"
                    + " AND state = 'ACTIVE' AND (? = 'primary' OR variant <> 'primary')";

    /** Binds {@link #RETIRE_REPLACED}. */
    public static void bindRetireReplaced(PreparedStatement st, Deployment d) throws SQLException {
        st.setString(1, d.service());
        st.setString(2, d.id());
        st.setString(3, d.variant().label());
    }

    /** The deployment in the current row, selected with {@link #COLUMNS}. */
    public static Deployment read(ResultSet rs) throws SQLException, JsonProcessingException {
        var jar = rs.getString(5);
        return new Deployment(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                jar.isEmpty() ? null : Path.of(jar),
                JSON.readValue(rs.getString(6), ServiceDescriptor.class),
                JSON.readValue(rs.getString(7), STRINGS),
                Deployment.State.valueOf(rs.getString(8)),
                Instant.parse(rs.getString(9)),
                JSON.readValue(rs.getString(10), STRINGS),
                rs.getString(11),
                ScalingSettings.defaults().with(JSON.readValue(rs.getString(12), STRINGS)),
                Retention.defaults().with(JSON.readValue(rs.getString(13), STRINGS)),
                Resources.none().with(JSON.readValue(rs.getString(14), STRINGS)),
                Access.open().with(JSON.readValue(rs.getString(15), STRINGS)),
                RolloutRows.read(rs.getString(17)));
    }
}
