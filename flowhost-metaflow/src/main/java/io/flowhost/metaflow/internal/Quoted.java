package io.flowhost.metaflow.internal;

/**
 * Names taken from a caller or a datastore, quoted for a message: control characters are shown as
 * {@code \\uXXXX} so that a hostile name cannot rewrite a terminal or forge a log line, and a very long
 * name is cut.
 */
public final class Quoted {

    private static final int MAX_CHARS = 200;

    private Quoted() {}

    /** The text in single quotes, its control characters escaped, cut after 200 characters. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        var out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8).append('\'');
        for (int i = 0; i < text.length(); i++) {
            if (i == MAX_CHARS) {
                out.append("...(").append(text.length()).append(" characters)");
                break;
            }
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
