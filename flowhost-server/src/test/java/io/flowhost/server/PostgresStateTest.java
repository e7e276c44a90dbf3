package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.net.http.HttpRequest;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server with {@code --state postgresql://...} keeps its deployments and async requests in a real PostgreSQL
 * server, not under its data dir, and finds them there after a restart.
 */
@Tag("e2e")
class PostgresStateTest {

    private static final String DATABASE = TestPostgres.shared().newDatabase();

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withState(PostgresUrl.parse(DATABASE)));

    @Test
    void deploymentsAndAsyncResultsLiveInPostgresAndOutliveARestart() throws SQLException {
        flowhost.deploy(TestJars.exampleBytes("echo"));
        var http = flowhost.http();
        var sync = http.postJson("/v1/services/echo/echo", "{\"sync\": 1}");
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        var accepted = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Idempotency-Key", "pg-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"async\": 2}")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        var done = Http.json(http.get("/v1/requests/" + id + "?wait=60s"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");

        assertThat(rows("SELECT count(*) FROM deployments WHERE service = 'echo' AND state = 'ACTIVE'"))
                .isEqualTo(1);
        assertThat(rows("SELECT count(*) FROM requests WHERE id = '" + id + "' AND state = 'SUCCEEDED'"))
                .isEqualTo(1);
        assertThat(flowhost.dataDir().resolve("requests.db")).doesNotExist();
        assertThat(flowhost.dataDir().resolve("flowhost.db")).doesNotExist();

        flowhost.restart();

        var again = flowhost.http();
        assertThat(Http.json(again.get("/v1/requests/" + id)).path("result").toString())
                .contains("\"async\":2");
        var afterRestart = again.postJson("/v1/services/echo/echo", "{\"after\": 3}");
        assertThat(afterRestart.statusCode()).as(afterRestart.body()).isEqualTo(200);
        assertThat(afterRestart.body()).contains("\"after\":3");
    }

    private static int rows(String countQuery) throws SQLException {
        var url = PostgresUrl.parse(DATABASE);
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.createStatement();
                var rs = st.executeQuery(countQuery)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
