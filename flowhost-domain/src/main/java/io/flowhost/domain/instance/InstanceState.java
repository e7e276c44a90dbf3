package io.flowhost.domain.instance;

/** Where an instance is in its life: starting → ready → draining → stopped. */
public enum InstanceState {
    /** The process runs; the service constructor (or model load) has not finished. */
    STARTING,
    /** In the balancer: takes calls. */
    READY,
    /** Out of the balancer: finishes the calls it has, then stops. */
    DRAINING,
    /** Gone, stopped on purpose or not. */
    STOPPED
}
