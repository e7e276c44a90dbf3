package io.flowhost.metaflow.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A small pickle can expand to far more JSON than it takes to decode: the JSON is streamed, so a bound of bytes
 * on the output stops it there, with no tree or string of the whole value built first.
 */
class BoundedJsonTest {

    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void aKilobytePickleOfAGigabyteOfJsonStopsAtTheBound() {
        byte[] pickle = TestPickles.doubling("x".repeat(1000), 20);
        var sink = new ByteArrayOutputStream();
        var limited = new LimitedOutputStream(sink, 1 << 20);

        assertThat(pickle.length).isLessThan(1300);
        assertThatThrownBy(() -> write(Pickle.decode(pickle), limited))
                .isInstanceOfSatisfying(
                        OutputLimitException.class, e -> assertThat(e.limit()).isEqualTo(1 << 20))
                .hasMessageContaining("limit of 1048576 bytes");
        assertThat(sink.size()).isEqualTo(1 << 20);
        assertThat(sink.toString(StandardCharsets.UTF_8)).startsWith("[[[[[[[[[[[[[[[[[[[[\"xxxx");
    }

    @Test
    void whatFitsUnderTheBoundIsWrittenWhole() throws IOException {
        byte[] pickle = TestPickles.doubling("ab", 3);
        var sink = new ByteArrayOutputStream();

        write(Pickle.decode(pickle), new LimitedOutputStream(sink, 1 << 20));

        assertThat(sink.toString(StandardCharsets.UTF_8))
                .isEqualTo("[[[\"ab\",\"ab\"],[\"ab\",\"ab\"]],[[\"ab\",\"ab\"],[\"ab\",\"ab\"]]]");
    }

    @Test
    void aLimitedStreamPassesOnExactlyTheLimitThenRefusesEveryByte() throws IOException {
        var sink = new ByteArrayOutputStream();
        var limited = new LimitedOutputStream(sink, 4);
        limited.write(new byte[] {1, 2, 3});

        assertThatThrownBy(() -> limited.write(new byte[] {4, 5, 6})).isInstanceOf(OutputLimitException.class);
        assertThatThrownBy(() -> limited.write(7)).isInstanceOf(OutputLimitException.class);
        assertThat(sink.toByteArray()).containsExactly(1, 2, 3, 4);
        assertThat(limited.written()).isEqualTo(4);
    }

    @Test
    void setsThroughoutAValueShareOneBudgetForTheReprsThatOrderThem() {
        // Each set alone is well under the budget; together their reprs pass 2^26 characters.
        var shared = "y".repeat(1 << 20);
        var sets = new ArrayList<Object>();
        for (long i = 0; i < 80; i++) {
            sets.add(new PySet(true, new ArrayList<>(List.of(shared, i))));
        }

        assertThatThrownBy(() -> write(sets, new LimitedOutputStream(new ByteArrayOutputStream(), Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reprs (which order them) longer than 67108864 characters in all");
    }

    private static void write(Object value, LimitedOutputStream out) throws IOException {
        try (var generator = JSON.createGenerator(out)) {
            PythonJson.write(value, generator);
        }
    }
}
