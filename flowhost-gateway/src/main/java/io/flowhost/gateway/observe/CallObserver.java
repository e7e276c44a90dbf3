package io.flowhost.gateway.observe;

/** Told of every endpoint call the gateway answered, on the caller's event loop: it must be quick. */
@FunctionalInterface
public interface CallObserver {

    /** The call is answered. */
    void answered(CallRecord call);

    /** An observer that does nothing. */
    CallObserver NONE = call -> {};
}
