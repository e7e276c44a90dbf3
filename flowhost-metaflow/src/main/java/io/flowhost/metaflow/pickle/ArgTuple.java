package io.flowhost.metaflow.pickle;

import java.util.List;

/** A tuple holding an {@link Intermediate}: fine as the arguments of REDUCE or the state of BUILD, never a value. */
record ArgTuple(List<Object> items, Intermediate culprit) implements Intermediate {

    @Override
    public PickleException notAValue(PickleInput in) {
        return culprit.notAValue(in);
    }
}
