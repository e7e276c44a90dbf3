package io.flowhost.metaflow.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** The newline-terminated text arguments of protocol 0 opcodes (INT, LONG, FLOAT, STRING, UNICODE, GET, PUT). */
final class TextLiterals {

    private TextLiterals() {}

    /** Python refuses to turn longer digit strings into ints (since 3.11, {@code sys.int_info.default_max_str_digits}). */
    static final int MAX_DIGITS = 4300;

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** INT: a decimal integer, or {@code 00}/{@code 01} for False/True as protocol 0 writes bools. */
    static Object integer(byte[] line, PickleInput in) {
        var text = ascii(line).strip();
        if (text.equals("00")) {
            return false;
        }
        if (text.equals("01")) {
            return true;
        }
        return parseInteger(text, in);
    }

    /** LONG: a decimal integer with an optional trailing {@code L} (Python 2 wrote one). */
    static Object longInteger(byte[] line, PickleInput in) {
        var text = ascii(line);
        if (text.endsWith("L")) {
            text = text.substring(0, text.length() - 1);
        }
        return parseInteger(text.strip(), in);
    }

    /** GET and PUT: a memo index, which must not be negative. */
    static long memoIndex(byte[] line, PickleInput in) {
        var value = parseInteger(ascii(line).strip(), in);
        if (!(value instanceof Long index) || index < 0) {
            throw in.corrupt("memo index " + value + " is out of range");
        }
        return index;
    }

    /** FLOAT: what Python's {@code repr(float)} writes, including {@code nan}, {@code inf} and {@code -inf}. */
    static double floating(byte[] line, PickleInput in) {
        var text = ascii(line).strip();
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        // Java's parser also takes hex floats and 'd'/'f' suffixes, which Python does not: check first.
        if (!DECIMAL.matcher(text).matches()) {
            throw in.corrupt("FLOAT argument '" + text + "' is not a number");
        }
        return Double.parseDouble(text);
    }

    /** STRING: a quoted Python 2 {@code str} literal with backslash escapes, read as Latin-1 text. */
    static String quotedString(byte[] line, PickleInput in) {
        int n = line.length;
        if (n < 2 || line[0] != line[n - 1] || (line[0] != '\'' && line[0] != '"')) {
            throw in.corrupt("the STRING opcode argument must be quoted");
        }
        var out = new StringBuilder(n);
        int i = 1;
        while (i < n - 1) {
            char c = (char) (line[i] & 0xFF);
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n - 1) {
                throw in.corrupt("trailing backslash in a STRING argument");
            }
            char e = (char) (line[i + 1] & 0xFF);
            i += 2;
            switch (e) {
                case '\n' -> {}
                case '\\', '\'', '"' -> out.append(e);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> {
                    int value = hex(line, i, 2, n - 1);
                    if (value < 0) {
                        throw in.corrupt("invalid \\x escape in a STRING argument");
                    }
                    out.append((char) value);
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int value = e - '0';
                        for (int k = 0; k < 2 && i < n - 1 && line[i] >= '0' && line[i] <= '7'; k++) {
                            value = value * 8 + (line[i++] - '0');
                        }
                        out.append((char) (value & 0xFF));
                    } else {
                        out.append('\\').append((char) (e & 0xFF));
                    }
                }
            }
        }
        return out.toString();
    }

    /** UNICODE: Python's raw-unicode-escape, i.e. Latin-1 bytes with {@code \\uXXXX} and {@code \\UXXXXXXXX} escapes. */
    static String rawUnicodeEscape(byte[] line, PickleInput in) {
        var out = new StringBuilder(line.length);
        int i = 0;
        while (i < line.length) {
            int c = line[i] & 0xFF;
            boolean escape = c == '\\' && i + 1 < line.length && (line[i + 1] == 'u' || line[i + 1] == 'U');
            if (!escape) {
                out.append((char) c);
                i++;
                continue;
            }
            int digits = line[i + 1] == 'u' ? 4 : 8;
            int value = hex(line, i + 2, digits, line.length);
            if (value < 0 || value > Character.MAX_CODE_POINT) {
                throw in.corrupt("invalid \\u escape in a UNICODE argument");
            }
            out.appendCodePoint(value);
            i += 2 + digits;
        }
        return out.toString();
    }

    private static Object parseInteger(String text, PickleInput in) {
        if (!INTEGER.matcher(text).matches()) {
            throw in.corrupt("'" + abbreviate(text) + "' is not an integer");
        }
        if (text.length() > MAX_DIGITS + 1) {
            throw in.unsupported(null, "integer literal longer than " + MAX_DIGITS + " digits (Python refuses it too)");
        }
        return PyInt.of(new BigInteger(text));
    }

    /** The value of {@code count} hex digits at {@code from}, or -1 when they are not all there. */
    private static int hex(byte[] line, int from, int count, int end) {
        if (from + count > end) {
            return -1;
        }
        long value = 0;
        for (int k = 0; k < count; k++) {
            int digit = Character.digit(line[from + k], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static String ascii(byte[] line) {
        return new String(line, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
