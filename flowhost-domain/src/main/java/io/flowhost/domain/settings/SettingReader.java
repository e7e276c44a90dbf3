package io.flowhost.domain.settings;

import java.time.Duration;
import java.util.Map;

/** Reads typed values out of {@code key -> text}, failing with the key and the text that did not parse. */
public final class SettingReader {

    private final Map<String, String> values;

    public SettingReader(Map<String, String> values) {
        this.values = values;
    }

    public int integer(String key) {
        var text = text(key, "a whole number");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Check.invalid(key, "'" + text + "'", "a whole number");
        }
    }

    public double decimal(String key) {
        var text = text(key, "a number");
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw Check.invalid(key, "'" + text + "'", "a number");
        }
    }

    public Duration duration(String key) {
        var text = text(key, "a duration such as 500ms, 30s, 5m, 1h");
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw Check.invalid(key, "'" + text + "'", "a duration such as 500ms, 30s, 5m, 1h");
        }
    }

    private String text(String key, String expected) {
        var text = values.get(key);
        if (text == null || text.isBlank()) {
            throw Check.invalid(key, "missing", expected);
        }
        return text.trim();
    }
}
