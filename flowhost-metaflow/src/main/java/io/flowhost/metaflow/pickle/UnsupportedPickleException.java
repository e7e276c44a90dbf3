package io.flowhost.metaflow.pickle;

import java.util.Optional;

/**
 * The pickle is well formed but holds something this decoder deliberately does not read, most often an
 * object of a Python class outside the whitelist of plain data types (a scikit-learn model, a DataFrame).
 */
public final class UnsupportedPickleException extends PickleException {

    private final String pythonType;

    UnsupportedPickleException(String pythonType, String detail, long offset) {
        super(detail + " (at offset " + offset + ")", offset);
        this.pythonType = pythonType;
    }

    /**
     * The module-qualified Python name that could not be read, e.g.
     * {@code sklearn.linear_model._logistic.LogisticRegression}: the first global outside the whitelist, or
     * the numpy type whose dtype is not supported; empty when no Python name is involved (an opcode such as
     * PERSID, or a newer protocol).
     */
    public Optional<String> pythonType() {
        return Optional.ofNullable(pythonType);
    }
}
