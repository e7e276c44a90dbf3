package io.flowhost.domain.scaling.sim;

/** One simulated instance: when it started, when it is ready, and how many calls it runs. */
final class SimInstance {

    enum State {
        STARTING,
        READY,
        DRAINING
    }

    final long startedAt;
    final long readyAt;
    State state = State.STARTING;
    int inFlight;

    SimInstance(long startedAt, long readyAt) {
        this.startedAt = startedAt;
        this.readyAt = readyAt;
    }
}
