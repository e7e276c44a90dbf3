package io.flowhost.domain.scaling;

/**
 * Instances of a deployment by state, as the decision sees them.
 *
 * @param ready    answering calls
 * @param starting started, not ready yet: they count as capacity on its way
 * @param draining finishing their calls before they stop: they no longer count
 */
public record Instances(int ready, int starting, int draining) {

    /** Refuses negative counts. */
    public Instances {
        if (ready < 0 || starting < 0 || draining < 0) {
            throw new IllegalArgumentException("instances: " + ready + " ready, " + starting + " starting, " + draining
                    + " draining (expected: >= 0 each)");
        }
    }

    /** The instances that are or will soon be serving: ready plus starting. */
    public int running() {
        return ready + starting;
    }
}
