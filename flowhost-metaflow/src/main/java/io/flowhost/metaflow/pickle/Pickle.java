package io.flowhost.metaflow.pickle;

import java.util.Objects;

/**
 * Decodes Python pickles (protocols 0 to 5, as Metaflow writes artifacts) into plain Java values, safely:
 * nothing named in the pickle is imported, instantiated or run; only a fixed whitelist of Python types is read.
 *
 * <p>Python values map to: None → null, bool → Boolean, int → Long (BigInteger when it does not fit), float →
 * Double, str → String, bytes and bytearray → byte[], list → mutable List, tuple → {@link PyTuple}, set and
 * frozenset → {@link PySet}, dict and OrderedDict → LinkedHashMap (insertion order, any hashable keys), numpy
 * arrays → {@link NdArray}, numpy scalars → {@link NumpyScalar}. Shared references stay shared.
 */
public final class Pickle {

    private Pickle() {}

    /**
     * Decodes one pickled value; bytes after its STOP opcode are ignored, as Python does.
     *
     * @throws UnsupportedPickleException when the pickle holds a type outside the whitelist (naming it)
     * @throws CorruptPickleException when the bytes are truncated or not a valid pickle (saying where)
     */
    public static Object decode(byte[] pickle) {
        Objects.requireNonNull(pickle, "pickle");
        return new PickleMachine(pickle).run();
    }
}
