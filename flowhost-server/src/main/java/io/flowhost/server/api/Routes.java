package io.flowhost.server.api;

import io.flowhost.domain.service.MethodNotAllowedException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Small checks the management routes share. */
final class Routes {

    private Routes() {}

    /** Refuses a method the route does not take, naming the ones it does. */
    static void allow(HttpMethod method, String path, HttpMethod... allowed) {
        for (var m : allowed) {
            if (m.equals(method)) {
                return;
            }
        }
        List<String> names = Arrays.stream(allowed).map(HttpMethod::name).toList();
        throw new MethodNotAllowedException(
                path + " takes " + names + ", not " + method, names.stream().collect(Collectors.joining(", ")));
    }

    /** Whether the path is {@code prefix/one-segment}. */
    static boolean oneBelow(String path, String prefix) {
        return path.startsWith(prefix + "/") && path.indexOf('/', prefix.length() + 1) < 0;
    }
}
