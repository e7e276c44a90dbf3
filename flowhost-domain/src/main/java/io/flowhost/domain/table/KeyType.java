package io.flowhost.domain.table;

import java.math.BigInteger;
import java.util.Locale;

/** What a table's keys are: text, or whole numbers (written in decimal, so that {@code 007} and {@code 7} are one key). */
public enum KeyType {
    STRING,
    INTEGER;

    /** The most bytes a key may have, as RocksDB and a URL path both take it comfortably. */
    public static final int MAX_KEY_BYTES = 1024;

    /**
     * The key as the table stores it: a string as given, an integer in its shortest decimal form.
     *
     * @throws InvalidKeyException when the key is empty, too long, or not an integer for an integer table
     */
    public String canonical(String table, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidKeyException("table '" + table + "': a key may not be empty");
        }
        if (key.length() > MAX_KEY_BYTES) {
            throw new InvalidKeyException("table '" + table + "': a key has at most " + MAX_KEY_BYTES
                    + " characters; this one has " + key.length());
        }
        if (this == STRING) {
            return key;
        }
        try {
            return new BigInteger(key.strip()).toString();
        } catch (NumberFormatException e) {
            throw new InvalidKeyException("table '" + table + "' has integer keys; '" + shorten(key)
                    + "' is not an integer (its keys are whole numbers such as 42)");
        }
    }

    /** The type of a key as a loaded value has it ({@code String}, or a whole number), or null for any other. */
    public static KeyType of(Object key) {
        return switch (key) {
            case String s -> STRING;
            case Long l -> INTEGER;
            case Integer i -> INTEGER;
            case BigInteger b -> INTEGER;
            case null, default -> null;
        };
    }

    /** {@code string} or {@code integer}, as the API writes it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@link #word()}. */
    public static KeyType parse(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static String shorten(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "…";
    }
}
