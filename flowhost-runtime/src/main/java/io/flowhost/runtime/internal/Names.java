package io.flowhost.runtime.internal;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Naming rules for services and routes, and readable names of classes and methods for messages. */
final class Names {

    static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern ROUTE = Pattern.compile("[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?");

    private Names() {}

    /** {@code IrisService} → {@code iris-service}; {@code predictProba} → {@code predict-proba}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }

    /** {@code com.acme.IrisService.predict(Features)}, the way a user finds it in their code. */
    static String method(Method method) {
        var params = Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return method.getDeclaringClass().getName() + "." + method.getName() + "(" + params + ")";
    }
}
