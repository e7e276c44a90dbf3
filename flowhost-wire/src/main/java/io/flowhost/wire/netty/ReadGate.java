package io.flowhost.wire.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * Stops a connection's reads, all of them. Turning {@code autoRead} off is not enough: Netty's HTTP codec and its
 * aggregator ask for one more read on their own whenever a read ends inside a message, which, with large bodies, is
 * nearly every read, so a caller pipelining big requests behind a slow one was read without end (190 MB of 256 MB
 * before its writes stalled, where the limit is 16 MiB). Placed first in the pipeline, this handler drops every read
 * asked for while it is closed; opening it turns autoRead back on, which reads again.
 */
public final class ReadGate extends ChannelOutboundHandlerAdapter {

    private volatile boolean closed;

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        ctx.read();
    }

    /** Stops reading the connection until {@link #open}; with no gate in its pipeline, only turns autoRead off. */
    public static void close(Channel channel) {
        var gate = channel.pipeline().get(ReadGate.class);
        if (gate != null) {
            gate.closed = true;
        }
        channel.config().setAutoRead(false);
    }

    /** Reads the connection again (turning autoRead on asks for the next read, which now passes). */
    public static void open(Channel channel) {
        var gate = channel.pipeline().get(ReadGate.class);
        if (gate != null) {
            gate.closed = false;
        }
        channel.config().setAutoRead(true);
    }
}
