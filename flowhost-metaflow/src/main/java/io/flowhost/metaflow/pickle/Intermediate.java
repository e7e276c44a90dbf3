package io.flowhost.metaflow.pickle;

/**
 * Something on the unpickler's stack that is not a value the caller may see: a whitelisted class or function,
 * a numpy dtype, a numpy array still waiting for its BUILD, or an argument tuple holding one of these.
 */
sealed interface Intermediate permits PyGlobal, NumpyDType, ArrayBuilder, ArgTuple {

    /** The error for finding this where a plain value (list item, dict key, the result) is required. */
    PickleException notAValue(PickleInput in);
}
