package io.flowhost.metaflow.pickle;

import java.util.Objects;

/**
 * A numpy scalar such as {@code np.float64(0.97)} (what {@code accuracy_score} returns): its dtype as numpy's
 * {@code dtype.str} (e.g. {@code "<f8"}, {@code "|b1"}) and its value as a Double (float types), a Long
 * (integer types; a BigInteger for a uint64 above {@link Long#MAX_VALUE}) or a Boolean.
 */
public record NumpyScalar(String dtype, Object value) {

    /** Rejects null parts. */
    public NumpyScalar {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(value, "value");
    }
}
