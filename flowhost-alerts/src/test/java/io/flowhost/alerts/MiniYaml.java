package io.flowhost.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the block-style YAML subset that {@link PrometheusRules} writes (maps, lists of maps, quoted and plain
 * scalars, {@code []}) into maps, lists and strings, failing on anything else: the structural check of the export
 * that needs no YAML library, so it runs wherever the tests run, with or without promtool.
 */
final class MiniYaml {

    private record Line(int indent, String text) {}

    private final List<Line> lines = new ArrayList<>();
    private int pos;

    private MiniYaml(String yaml) {
        for (var raw : yaml.split("\n")) {
            var text = raw.strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                lines.add(new Line(raw.length() - raw.stripLeading().length(), text));
            }
        }
    }

    static Object parse(String yaml) {
        var reader = new MiniYaml(yaml);
        var value = reader.block(0);
        if (reader.pos != reader.lines.size()) {
            throw new IllegalArgumentException(
                    "unexpected line: " + reader.lines.get(reader.pos).text());
        }
        return value;
    }

    private Object block(int indent) {
        return lines.get(pos).text().startsWith("- ") ? list(indent) : map(indent);
    }

    private List<Object> list(int indent) {
        var list = new ArrayList<>();
        while (pos < lines.size()
                && lines.get(pos).indent() == indent
                && lines.get(pos).text().startsWith("- ")) {
            // "- alert: X" opens a map whose keys sit two columns further in
            lines.set(pos, new Line(indent + 2, lines.get(pos).text().substring(2)));
            list.add(map(indent + 2));
        }
        return list;
    }

    private Map<String, Object> map(int indent) {
        var map = new LinkedHashMap<String, Object>();
        while (pos < lines.size()
                && lines.get(pos).indent() == indent
                && !lines.get(pos).text().startsWith("- ")) {
            var text = lines.get(pos++).text();
            int colon = text.indexOf(':');
            if (colon < 1 || !text.substring(0, colon).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not a key: " + text);
            }
            var key = text.substring(0, colon);
            var rest = text.substring(colon + 1).strip();
            if (map.containsKey(key)) {
                throw new IllegalArgumentException("duplicate key: " + key);
            }
            if (rest.isEmpty()) {
                if (pos >= lines.size() || lines.get(pos).indent() <= indent) {
                    throw new IllegalArgumentException("no value for " + key);
                }
                map.put(key, block(lines.get(pos).indent()));
            } else {
                map.put(key, rest.equals("[]") ? List.of() : scalar(rest));
            }
        }
        return map;
    }

    private static String scalar(String text) {
        if (text.startsWith("'")) {
            if (!text.endsWith("'")
                    || text.length() < 2
                    || text.substring(1, text.length() - 1).replace("''", "").contains("'")) {
                throw new IllegalArgumentException("bad single-quoted scalar: " + text);
            }
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        if (text.startsWith("\"")) {
            try {
                return new ObjectMapper().readValue(text, String.class);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (text.matches(".*(: | #|^[\\[{&*!|>%@`\"']).*")) {
            throw new IllegalArgumentException("a plain scalar YAML would read differently: " + text);
        }
        return text;
    }
}
