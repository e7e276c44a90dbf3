package io.flowhost.wire.netty;

/** A streamed answer being written to its caller: told when the caller can take more, and when it has gone. */
interface Relaying {

    /** The caller's connection has room again (its writability changed); called on its event loop. */
    void writabilityChanged();

    /** The caller closed its connection before the stream ended; called on its event loop. */
    void callerGone();
}
