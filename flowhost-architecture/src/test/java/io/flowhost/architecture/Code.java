package io.flowhost.architecture;

/** Java source with its comments and string literals blanked out, lines kept where they were. */
final class Code {

    private Code() {}

    static String withoutCommentsAndStrings(String source) {
        var out = source.toCharArray();
        int i = 0;
        int n = out.length;
        while (i < n) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = blank(out, i, end < 0 ? n : end);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = blank(out, i, end < 0 ? n : end + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = blank(out, i, end < 0 ? n : end + 3);
            } else if (out[i] == '"' || out[i] == '\'') {
                char quote = out[i];
                int j = i + 1;
                while (j < n && source.charAt(j) != quote) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = blank(out, i, Math.min(j + 1, n));
            } else {
                i++;
            }
        }
        return new String(out);
    }

    /** Blanks {@code [from, to)}, keeping line breaks; returns {@code to}. */
    private static int blank(char[] text, int from, int to) {
        for (int k = from; k < to; k++) {
            if (text[k] != '\n') {
                text[k] = ' ';
            }
        }
        return to;
    }
}
