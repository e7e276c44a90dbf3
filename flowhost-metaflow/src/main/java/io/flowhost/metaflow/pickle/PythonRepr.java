package io.flowhost.metaflow.pickle;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code repr()} of decoded values, used to order set items the way the fixtures' writer did
 * ({@code sorted(items, key=repr)}); Python compares the resulting strings by code point. Recursion follows
 * the value, whose depth the caller has checked.
 */
final class PythonRepr {

    private PythonRepr() {}

    /** Orders strings by code point, as Python compares str (Java's compareTo compares UTF-16 units). */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /**
     * The repr, refused with IllegalArgumentException once it would pass {@code maxChars} characters (a tuple of
     * shared parts can have a repr far longer than its pickle).
     */
    static String of(Object value, long maxChars) {
        var out = new StringBuilder();
        append(out, value, maxChars);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, long maxChars) {
        if (out.length() > maxChars) {
            throw new IllegalArgumentException("repr longer than " + maxChars + " characters");
        }
        switch (value) {
            case null -> out.append("None");
            case Boolean b -> out.append(b ? "True" : "False");
            case Double d -> out.append(ofFloat(d));
            case String s -> out.append(ofStr(s));
            case byte[] bytes -> out.append(ofBytes(bytes));
            case NumpyScalar scalar -> append(out, scalar.value(), maxChars);
            case PyTuple tuple -> {
                out.append('(');
                appendItems(out, tuple.items(), maxChars);
                out.append(tuple.items().size() == 1 ? ",)" : ")");
            }
            case PySet set when set.items().isEmpty() -> out.append(set.frozen() ? "frozenset()" : "set()");
            case PySet set -> {
                out.append(set.frozen() ? "frozenset({" : "{");
                appendItems(out, set.items(), maxChars);
                out.append(set.frozen() ? "})" : "}");
            }
            case List<?> list -> {
                out.append('[');
                appendItems(out, list, maxChars);
                out.append(']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                map.forEach((k, v) -> {
                    if (out.charAt(out.length() - 1) != '{') {
                        out.append(", ");
                    }
                    append(out, k, maxChars);
                    out.append(": ");
                    append(out, v, maxChars);
                });
                out.append('}');
            }
            default -> out.append(value); // Long, BigInteger; arrays are never set members
        }
    }

    private static void appendItems(StringBuilder out, List<?> items, long maxChars) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            append(out, items.get(i), maxChars);
        }
    }

    /** Python's shortest round-trip float repr: {@code 0.1}, {@code 1e-05}, {@code 1e+16}, {@code nan}, {@code -0.0}. */
    static String ofFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as Python's repr does, except
        // that it never gives fewer than two: 5e-324 comes out as 4.9E-324. Try the one-digit rounding then.
        var decimal = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        if (decimal.precision() == 2) {
            var oneDigit = decimal.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (oneDigit.doubleValue() == Math.abs(d)) {
                decimal = oneDigit.stripTrailingZeros();
            }
        }
        String digits = decimal.unscaledValue().toString();
        int point = digits.length() - decimal.scale(); // value = 0.<digits> * 10^point
        String sign = d < 0 ? "-" : "";
        if (point > -4 && point <= 16) {
            if (point <= 0) {
                return sign + "0." + "0".repeat(-point) + digits;
            }
            if (point >= digits.length()) {
                return sign + digits + "0".repeat(point - digits.length()) + ".0";
            }
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        int exponent = point - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /** {@code 'text'}, or {@code "it's"} when only that avoids escaping a quote; non-printables escaped. */
    static String ofStr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        var out = new StringBuilder(s.length() + 2).append(quote);
        s.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c >= 0x20 && c < 0x7F || c > 0x7F && printable(c)) {
                out.appendCodePoint(c);
            } else if (c <= 0xFF) {
                out.append(String.format("\\x%02x", c));
            } else if (c <= 0xFFFF) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.append(quote).toString();
    }

    /** {@code b'...'}: printable ASCII as itself, {@code \\t \\n \\r}, everything else {@code \\xNN}. */
    static String ofBytes(byte[] bytes) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte b : bytes) {
            hasSingle |= b == '\'';
            hasDouble |= b == '"';
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        var out = new StringBuilder(bytes.length + 3).append('b').append(quote);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == quote || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c >= 0x20 && c < 0x7F) {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.append(quote).toString();
    }

    /** Python's {@code str.isprintable()} for one code point, by Unicode category. */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
