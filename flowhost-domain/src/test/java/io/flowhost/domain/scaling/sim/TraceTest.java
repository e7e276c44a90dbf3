package io.flowhost.domain.scaling.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceTest {

    @Test
    void readsCallsSkippingTheHeaderCommentsAndBlankLines() {
        var trace = Trace.parse("t.csv", """
                # a comment
                arrival_seconds,duration_seconds

                0,2
                1.5, 0.25   # trailing comment
                """);
        assertThat(trace.size()).isEqualTo(2);
        assertThat(trace.arrivalNanos(1)).isEqualTo(1_500_000_000L);
        assertThat(trace.durationNanos(1)).isEqualTo(250_000_000L);
    }

    @Test
    void sortsCallsByArrival() {
        var trace = Trace.parse("t.csv", "5,1\n1,2\n3,3\n");
        assertThat(trace.arrivalNanos(0)).isEqualTo(1_000_000_000L);
        assertThat(trace.durationNanos(0)).isEqualTo(2_000_000_000L);
        assertThat(trace.arrivalNanos(2)).isEqualTo(5_000_000_000L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0,1\\n1;2\\n | t.csv line 2: '1;2'",
                "0,1\\nabc,1\\n | t.csv line 2: 'abc,1'",
                "0,1\\n2\\n | t.csv line 2: '2'",
                "0,1\\n2,-1\\n | t.csv line 2: '2,-1'",
                "0,1\\n2,1,3\\n | t.csv line 2: '2,1,3'",
                "# c\\narrival,duration\\n0,x\\n | t.csv line 3: '0,x'"
            })
    void aMalformedLineIsNamedByNumber(String text, String message) {
        assertThatThrownBy(() -> Trace.parse("t.csv", text.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message + " (expected: arrival_seconds,duration_seconds, two numbers >= 0)");
    }

    @Test
    void aHeaderIsOnlyAllowedFirst() {
        assertThatThrownBy(() -> Trace.parse("t.csv", "0,1\narrival,duration\n"))
                .hasMessageStartingWith("t.csv line 2:");
    }

    @Test
    void aTraceCanBeBuiltFromNumbers() {
        var trace = Trace.of("made", new double[] {2, 1}, new double[] {0.5, 0.25});
        assertThat(trace.name()).isEqualTo("made");
        assertThat(trace.arrivalNanos(0)).isEqualTo(1_000_000_000L);
        assertThatThrownBy(() -> Trace.of("bad", new double[] {-1}, new double[] {1}))
                .hasMessage("bad call 0: -1.0,1.0 (expected: two numbers >= 0)");
    }
}
