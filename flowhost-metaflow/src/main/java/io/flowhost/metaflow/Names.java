package io.flowhost.metaflow;

import io.flowhost.metaflow.internal.Quoted;

/**
 * What a flow name, run id, step name or artifact name may be. Each becomes one folder or key segment in the
 * datastore, so it must be one plain name there: not empty, not {@code .} or {@code ..}, without {@code /} or
 * {@code \}, and without control characters.
 */
final class Names {

    /** What is allowed, for messages. */
    static final String RULE = "flow, run, step and artifact must each be one plain name: not empty, "
            + "not '.' or '..', with no '/', '\\' or control characters";

    private Names() {}

    /**
     * The name, if it is one plain name; else IllegalArgumentException naming it and what is allowed.
     *
     * @param what what the name is, for the message, e.g. "the flow name"
     */
    static String check(String what, String name) {
        var problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(
                    what + " " + Quoted.of(name) + " is not allowed (" + problem + "): " + RULE);
        }
        return name;
    }

    /** The tag of {@code ?tag=}, which is compared, never a path: only control characters are refused. */
    static String checkTag(String tag) {
        var control = firstControlCharacter(tag);
        if (control >= 0) {
            throw new IllegalArgumentException("the tag " + Quoted.of(tag) + " is not allowed (it holds the control "
                    + "character U+" + String.format("%04X", control) + "): a tag is printable text");
        }
        return tag;
    }

    private static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "it is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it names a folder relative to another";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "it holds a path separator";
        }
        var control = firstControlCharacter(name);
        if (control >= 0) {
            return "it holds the control character U+" + String.format("%04X", control);
        }
        return null;
    }

    private static int firstControlCharacter(String text) {
        return text.chars().filter(Character::isISOControl).findFirst().orElse(-1);
    }
}
