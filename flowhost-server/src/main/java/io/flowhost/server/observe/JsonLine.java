package io.flowhost.server.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON object written field by field into a reused byte buffer, as UTF-8: the request log's line.
 * Hand-written rather than a Jackson generator because it runs for every call the gateway answers, and
 * a profile put the generator at a tenth of the server's CPU; its output is checked against Jackson's
 * parser in the tests. Field names are the caller's constants and are not escaped.
 */
final class JsonLine {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[512];
    private int count;
    private boolean first;

    /** Empties the buffer and opens the object. */
    void begin() {
        count = 0;
        first = true;
        put('{');
    }

    /** Closes the object and ends the line with {@code \n}. */
    void end() {
        put('}');
        put('\n');
    }

    /** A string field; null writes {@code null}. */
    void field(String name, String value) {
        name(name);
        if (value == null) {
            ascii("null");
            return;
        }
        put('"');
        chars(value);
        put('"');
    }

    /** A string field from characters (no escaping needed beyond what {@link #chars} does). */
    void field(String name, char[] value) {
        name(name);
        put('"');
        for (char c : value) {
            character(c);
        }
        put('"');
    }

    void field(String name, long value) {
        name(name);
        ascii(Long.toString(value));
    }

    void field(String name, boolean value) {
        name(name);
        ascii(value ? "true" : "false");
    }

    /** Nanoseconds as milliseconds with three decimals, rounded to the microsecond: {@code 12.345}. */
    void millis(String name, long nanos) {
        name(name);
        long micros = Math.round(nanos / 1_000.0);
        if (micros < 0) {
            put('-');
            micros = -micros;
        }
        ascii(Long.toString(micros / 1_000));
        put('.');
        int rest = (int) (micros % 1_000);
        put((char) ('0' + rest / 100));
        put((char) ('0' + rest / 10 % 10));
        put((char) ('0' + rest % 10));
    }

    int size() {
        return count;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, count);
    }

    /** The line without its newline. */
    String text() {
        int n = count > 0 && buf[count - 1] == '\n' ? count - 1 : count;
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    private void name(String name) {
        if (!first) {
            put(',');
        }
        first = false;
        put('"');
        ascii(name);
        put('"');
        put(':');
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[count++] = (byte) s.charAt(i);
        }
    }

    private void chars(String s) {
        int n = s.length();
        ensure(n);
        int i = 0;
        // The common case, an id or a name: plain ASCII copied as it is, with room made once.
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                break;
            }
            buf[count++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                codePoint(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                character(c);
            }
        }
    }

    private void character(char c) {
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            put(c);
        } else if (c == '"' || c == '\\') {
            put('\\');
            put(c);
        } else if (c == '\n') {
            put('\\');
            put('n');
        } else if (c == '\r') {
            put('\\');
            put('r');
        } else if (c == '\t') {
            put('\\');
            put('t');
        } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || Character.isSurrogate(c)) {
            // control characters (C0, DEL and C1: a terminal acts on C1 ones), and a surrogate without its pair
            // (not encodable as UTF-8): \\uXXXX
            ensure(6);
            buf[count++] = '\\';
            buf[count++] = 'u';
            buf[count++] = HEX[c >> 12 & 0xF];
            buf[count++] = HEX[c >> 8 & 0xF];
            buf[count++] = HEX[c >> 4 & 0xF];
            buf[count++] = HEX[c & 0xF];
        } else {
            codePoint(c);
        }
    }

    /** A code point from U+0080 up, as UTF-8. */
    private void codePoint(int cp) {
        ensure(4);
        if (cp < 0x800) {
            buf[count++] = (byte) (0xC0 | cp >> 6);
        } else if (cp < 0x10000) {
            buf[count++] = (byte) (0xE0 | cp >> 12);
            buf[count++] = (byte) (0x80 | cp >> 6 & 0x3F);
        } else {
            buf[count++] = (byte) (0xF0 | cp >> 18);
            buf[count++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[count++] = (byte) (0x80 | cp >> 6 & 0x3F);
        }
        buf[count++] = (byte) (0x80 | cp & 0x3F);
    }

    private void put(char c) {
        ensure(1);
        buf[count++] = (byte) c;
    }

    private void ensure(int more) {
        if (count + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
        }
    }
}
