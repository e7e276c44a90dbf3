package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String written(JsonLine line) throws Exception {
        var out = new ByteArrayOutputStream();
        line.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesFieldsThatJacksonReadsBack() throws Exception {
        var line = new JsonLine();
        line.begin();
        line.field("s", "plain");
        line.field("none", (String) null);
        line.field("n", -42L);
        line.field("big", Long.MAX_VALUE);
        line.field("yes", true);
        line.field("no", false);
        line.millis("ms", 12_345_678);
        line.millis("small", 499);
        line.millis("half", 2_500_000);
        line.field("chars", "2026-11-26T15:31:12.123Z".toCharArray());
        line.end();
        var text = written(line);
        assertThat(text).endsWith("}\n").doesNotContain("\n}");
        assertThat(line.text()).isEqualTo(text.substring(0, text.length() - 1));
        var node = JSON.readTree(text);
        assertThat(node.get("s").asText()).isEqualTo("plain");
        assertThat(node.get("none").isNull()).isTrue();
        assertThat(node.get("n").asLong()).isEqualTo(-42);
        assertThat(node.get("big").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(node.get("yes").asBoolean()).isTrue();
        assertThat(node.get("no").asBoolean()).isFalse();
        assertThat(node.get("ms").asDouble()).isEqualTo(12.346);
        assertThat(text).contains("\"ms\":12.346,").contains("\"small\":0.000,").contains("\"half\":2.500,");
        assertThat(node.get("chars").asText()).isEqualTo("2026-11-26T15:31:12.123Z");
        assertThat(line.size()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void escapesWhatJsonNeedsAndEncodesTheRestAsUtf8() throws Exception {
        var awkward = List.of(
                "quote\" backslash\\ slash/",
                "tab\t newline\n return\r nul\0 bell\u0007 del\u007f",
                "café ünïcødé 日本語",
                "emoji 🙂 and 𝄞",
                "lone high \ud83d end",
                "lone low \ude42 end",
                "reversed \ude42\ud83d pair",
                "/v1/services/x/%22%0A");
        for (var value : awkward) {
            var line = new JsonLine();
            line.begin();
            line.field("v", value);
            line.end();
            // a surrogate without its pair has no UTF-8 form: it is written as \\uXXXX, which reads back the same
            assertThat(JSON.readTree(written(line)).get("v").asText()).isEqualTo(value);
            assertThat(written(line)).doesNotContain("\n\"").endsWith("}\n");
            assertThat(written(line).indexOf('\n')).isEqualTo(written(line).length() - 1);
        }
    }

    @Test
    void randomStringsRoundTripThroughJackson() throws Exception {
        var random = new Random(6);
        var line = new JsonLine();
        for (int i = 0; i < 5_000; i++) {
            var chars = new char[random.nextInt(40)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = switch (random.nextInt(4)) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) (0x80 + random.nextInt(0x780));
                    case 2 -> (char) random.nextInt(0x10000);
                    default -> "\"\\\n/{}:,".charAt(random.nextInt(8));
                };
            }
            var value = new String(chars);
            line.begin();
            line.field("a", value);
            line.field("b", i);
            line.end();
            var node = JSON.readTree(written(line));
            assertThat(node.get("a").asText()).isEqualTo(value);
            assertThat(node.get("b").asInt()).isEqualTo(i);
        }
    }

    @Test
    void growsForLongValuesAndIsReusable() throws Exception {
        var line = new JsonLine();
        var lines = new ArrayList<String>();
        for (var value : List.of("x".repeat(10_000), "short")) {
            line.begin();
            line.field("v", value);
            line.end();
            lines.add(JSON.readTree(written(line)).get("v").asText());
        }
        assertThat(lines).containsExactly("x".repeat(10_000), "short");
    }

    @Test
    void controlCharactersAreEscapedSoThatALogLineCannotDriveATerminal() throws Exception {
        var line = new JsonLine();
        line.begin();
        line.field("path", "caf\u00e9\u0085\u007f\u001b[31m");
        line.end();

        var text = written(line);

        assertThat(text)
                .contains("caf\u00e9")
                .contains("\\u0085")
                .contains("\\u007f")
                .contains("\\u001b");
        assertThat(text.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f))
                .isEmpty();
        assertThat(JSON.readTree(text).path("path").asText()).isEqualTo("caf\u00e9\u0085\u007f\u001b[31m");
    }
}
