package io.flowhost.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link Endpoint} methods flowhost serves as one web service.
 *
 * <p>The class needs a public no-argument constructor or a public constructor taking a
 * {@link ServiceContext}; it runs once per instance, so it is the place to load models.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Service {

    /**
     * The service name used in URLs ({@code /v1/services/{name}/...}); lowercase letters,
     * digits and dashes. Empty means the class's simple name in kebab case
     * ({@code IrisService} becomes {@code iris-service}).
     */
    String name() default "";
}
