package io.flowhost.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an {@link Endpoint} batched: callers still send one item and get one answer, while the instance gathers
 * concurrent calls and runs the method once on a list of them. The method takes {@code List<In>} and returns a
 * {@code List} of the same length, in the same order; an element that is a {@link CallRejectedException} fails
 * only its own call (declare {@code List<Object>} to return one), an exception thrown fails every call of the batch.
 *
 * <p>A lone call never waits: a batch is what is waiting when the method is free, and only when other calls are
 * waiting does it wait, at most {@link #maxDelay()}, for more to fill it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Batch {

    /** The most items in one batch; 1 means not batched (2 to 1,024 to batch). */
    int maxSize() default 1;

    /** How long a batch that others are joining may wait to fill: {@code 5ms}, {@code 200us}, at most {@code 1s}. */
    String maxDelay() default "5ms";
}
