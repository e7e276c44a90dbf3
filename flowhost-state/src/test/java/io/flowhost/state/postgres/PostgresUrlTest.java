package io.flowhost.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

    @ParameterizedTest
    @CsvSource({
        "postgresql://db:5432/flowhost?user=fh, jdbc:postgresql://db:5432/flowhost?user=fh",
        "postgres://db/flowhost, jdbc:postgresql://db/flowhost",
        "postgresql://127.0.0.1:5433/fh?user=a&sslmode=require, jdbc:postgresql://127.0.0.1:5433/fh?user=a&sslmode=require"
    })
    void aLibpqUrlBecomesTheDriversUrl(String url, String jdbc) {
        assertThat(PostgresUrl.parse(url).jdbc()).isEqualTo(jdbc);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mysql://db/flowhost",
                "postgresql:///flowhost",
                "postgresql://db",
                "postgresql://db/",
                "postgresql://db/a/b",
                "postgresql://user:secret@db/flowhost",
                "postgresql://db/fl owhost"
            })
    void anythingElseIsRefusedWithAnExample(String url) {
        assertThatThrownBy(() -> PostgresUrl.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("state: ")
                .hasMessageContaining("postgresql://db.internal:5432/flowhost?user=flowhost")
                .message()
                .doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://db/fh?user=a&password=hunter2", "postgresql://db/fh?password=hunter2&x=1"})
    void aPasswordNeverShowsInWhatIsLogged(String url) {
        var parsed = PostgresUrl.parse(url);
        assertThat(parsed.toString()).doesNotContain("hunter2").contains("password=***");
        assertThat(parsed.jdbc()).contains("hunter2");
    }
}
