package io.flowhost.wire.protocol;

import io.netty.handler.codec.TooLongFrameException;

/** A request with more headers than the server reads; answered 431 saying how many came. */
public final class TooManyHeadersException extends TooLongFrameException {

    public TooManyHeadersException(int count, int max) {
        super("the request has " + count + " headers; at most " + max + " are read");
    }
}
