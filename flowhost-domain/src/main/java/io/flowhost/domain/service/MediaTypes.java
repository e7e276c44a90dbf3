package io.flowhost.domain.service;

/** Content-type checks for request bodies. */
public final class MediaTypes {

    private MediaTypes() {}

    /**
     * Whether a request's content type can carry a JSON body: {@code application/json},
     * any {@code application/*+json}, or none at all (as curl's {@code --json} and most clients send one,
     * a missing header is taken as JSON).
     */
    public static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        int semi = contentType.indexOf(';');
        var type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json")
                || (type.regionMatches(true, 0, "application/", 0, 12)
                        && type.regionMatches(true, type.length() - 5, "+json", 0, 5));
    }
}
