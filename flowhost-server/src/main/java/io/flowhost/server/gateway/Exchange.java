package io.flowhost.server.gateway;

import io.netty.handler.codec.http.FullHttpResponse;

/** A call on its way to an instance: where its answer goes once the instance, or the gateway, has one. */
interface Exchange {

    /** The call's id, for problems the gateway writes itself. */
    String requestId();

    /** Sends the instance's answer to the caller; takes ownership of the response. */
    void answer(FullHttpResponse response);

    /** Sends a problem of the gateway's own (502, 504) to the caller. */
    void fail(io.flowhost.runtime.protocol.Problem problem);
}
