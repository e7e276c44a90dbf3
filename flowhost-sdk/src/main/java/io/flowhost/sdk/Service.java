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

    /** Default for the deployment's {@code min-instances} (instances kept running when idle); -1 leaves the platform's (0). */
    int minInstances() default -1;

    /** Default for {@code max-instances}; -1 leaves the platform's (4). */
    int maxInstances() default -1;

    /** Default for {@code target-in-flight}, the calls per instance the autoscaler steers to; 0 leaves the platform's (4). */
    double targetInFlight() default 0;

    /** Default for {@code max-concurrency}, the calls one instance takes at once (more wait); -1 leaves the platform's (16). */
    int maxConcurrency() default -1;

    /** Default for {@code idle-timeout}, e.g. {@code "10m"}: no call for this long and the last instance stops (unless min-instances > 0). */
    String idleTimeout() default "";

    /** Default for {@code cpu}, what each pod asks for ({@code "2"}, {@code "500m"}); empty asks nothing. Pods only. */
    String cpu() default "";

    /** Default for {@code memory}, what each pod asks for and may use ({@code "4Gi"}); empty asks nothing. Pods only. */
    String memory() default "";

    /** Default for {@code gpu}, the {@code nvidia.com/gpu} devices each pod gets; 0 (the default) for none. Pods only. */
    int gpu() default 0;
}
