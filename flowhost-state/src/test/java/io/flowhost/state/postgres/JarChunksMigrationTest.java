package io.flowhost.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A jar kept whole by a version before pieces is split into them when a newer gateway opens the database. */
class JarChunksMigrationTest {

    @Test
    void aJarKeptWholeIsSplitIntoPiecesAndReadsTheSame() throws SQLException {
        var url = PostgresUrl.parse(TestPostgres.shared().newDatabase());
        Flyway.configure()
                .dataSource(url.jdbc(), null, null)
                .locations("classpath:db/postgresql")
                .target("11") // the schema of the version before pieces
                .load()
                .migrate();
        var bytes = new byte[2 * PostgresJars.CHUNK + 5];
        new Random(9).nextBytes(bytes);
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.prepareStatement("INSERT INTO jars (sha256, bytes) VALUES ('old', ?)")) {
            st.setBytes(1, bytes);
            st.executeUpdate();
        }

        var store = PostgresStateStore.open(url);
        try {
            var out = new ByteArrayOutputStream();
            assertThat(store.cluster().copyJar("old", out)).isTrue();
            assertThat(out.toByteArray()).isEqualTo(bytes);
        } finally {
            store.close();
        }
        try (var db = DriverManager.getConnection(url.jdbc());
                var st = db.prepareStatement("SELECT count(*), max(length(bytes)) FROM jar_chunks");
                var rs = st.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(PostgresJars.CHUNK);
        }
    }
}
