package io.flowhost.server.instances;

/** Where an instance is in its life. */
public enum InstanceState {
    /** The process runs; the service constructor has not finished. */
    STARTING,
    /** Answers calls. */
    READY,
    /** Being stopped: takes no new calls. */
    STOPPING,
    /** Gone, stopped on purpose or not. */
    STOPPED
}
