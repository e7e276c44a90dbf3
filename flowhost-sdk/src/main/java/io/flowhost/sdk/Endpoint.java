package io.flowhost.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public method of a {@link Service} class a REST endpoint at
 * {@code /v1/services/{service}/{endpoint}}.
 *
 * <p>A method with one parameter (a record, a POJO or a {@code Map<String, Object>}) takes the
 * JSON request body and is called with POST; a method without parameters is called with GET.
 * It may return a record, a POJO, a Map, a List or a scalar, which is sent back as JSON, or
 * nothing ({@code void}), which answers 204.
 *
 * <p>A method returning a {@code Stream<T>}, an {@code Iterator<T>} or a {@code Flow.Publisher<T>}
 * streams its answer: each item is sent as it comes, as a line of JSON Lines or, for a caller that
 * accepts {@code text/event-stream}, as a Server-Sent Event; a caller that goes away interrupts the
 * method's thread and closes the stream.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Endpoint {

    /** The route name: lowercase letters, digits, dashes and underscores; empty means the method name. */
    String value() default "";

    /** An example request body in JSON, shown in listings and in the curl line that {@code flowhost serve} prints. */
    String example() default "";

    /**
     * How the endpoint may be called: synchronously (the caller waits for the answer), asynchronously
     * ({@code Prefer: respond-async}: queued, the answer kept to fetch later), or both (the default).
     */
    Mode[] modes() default {Mode.SYNC, Mode.ASYNC};

    /**
     * Batching: {@code @Endpoint(value = "predict", batch = @Batch(maxSize = 64, maxDelay = "5ms"))} on a method
     * taking {@code List<In>} and returning a list of answers, one per item. Not batched by default.
     */
    Batch batch() default @Batch;

    /** A way of calling an endpoint. */
    enum Mode {
        /** The caller waits for the answer. */
        SYNC,
        /** The call is queued durably and answered 202; the result is fetched later. */
        ASYNC
    }
}
