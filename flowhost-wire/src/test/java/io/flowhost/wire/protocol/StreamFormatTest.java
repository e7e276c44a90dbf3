package io.flowhost.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamFormatTest {

    @Test
    void eventsWhenTheCallerNamesThemAndJsonLinesOtherwise() {
        assertThat(StreamFormat.accepted("text/event-stream")).isEqualTo(StreamFormat.EVENTS);
        assertThat(StreamFormat.accepted("application/json, Text/Event-Stream;q=0.9"))
                .isEqualTo(StreamFormat.EVENTS);
        assertThat(StreamFormat.accepted(null)).isEqualTo(StreamFormat.JSON_LINES);
        assertThat(StreamFormat.accepted("*/*")).isEqualTo(StreamFormat.JSON_LINES);
        assertThat(StreamFormat.accepted("application/jsonl")).isEqualTo(StreamFormat.JSON_LINES);
    }

    @Test
    void aStreamIsKnownByItsContentType() {
        assertThat(StreamFormat.ofContentType("application/jsonl")).isEqualTo(StreamFormat.JSON_LINES);
        assertThat(StreamFormat.ofContentType("application/x-ndjson")).isEqualTo(StreamFormat.JSON_LINES);
        assertThat(StreamFormat.ofContentType("text/event-stream; charset=utf-8"))
                .isEqualTo(StreamFormat.EVENTS);
        assertThat(StreamFormat.ofContentType("application/json")).isNull();
        assertThat(StreamFormat.ofContentType(null)).isNull();
    }

    @Test
    void anErrorIsFramedAsTheStreamFramesItsItems() throws Exception {
        var problem = new Problem("urn:flowhost:problem:handler-failed", "Handler failed", 500, "boom", "r1", Map.of());
        var line = new String(StreamFormat.JSON_LINES.error(problem), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        var error = new ObjectMapper().readTree(line).path("error");
        assertThat(error.path("detail").asText()).isEqualTo("boom");
        assertThat(error.path("status").asInt()).isEqualTo(500);

        var event = new String(StreamFormat.EVENTS.error(problem), StandardCharsets.UTF_8);
        assertThat(event).startsWith("event: error\ndata: {").endsWith("}\n\n");
        assertThat(new ObjectMapper()
                        .readTree(event.substring("event: error\ndata: ".length()))
                        .path("requestId")
                        .asText())
                .isEqualTo("r1");
        assertThat(new String(StreamFormat.EVENTS.before(), StandardCharsets.UTF_8))
                .isEqualTo("data: ");
        assertThat(new String(StreamFormat.EVENTS.after(), StandardCharsets.UTF_8))
                .isEqualTo("\n\n");
        assertThat(StreamFormat.JSON_LINES.before()).isEmpty();
    }
}
