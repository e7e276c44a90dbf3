package io.flowhost.wire.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Once a connection's waiting requests pass the limit, nothing reads it: not autoRead, and not the reads that the
 * HTTP codec and the aggregator ask for on their own when a read ends inside a message.
 */
class ReadGateTest {

    /** Counts the reads that reach the socket. */
    private static final class Reads extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }

    /** Never answers, so every request after the first waits. */
    private static final class NeverAnswers extends InOrderHandler {
        final List<FullHttpRequest> seen = new ArrayList<>();

        NeverAnswers() {
            super(1024 * 1024);
        }

        @Override
        protected void handle(FullHttpRequest request, Reply reply) {
            seen.add(request);
        }
    }

    private static byte[] post(int n, int bodyBytes) {
        var head = "POST /v1/services/x/y HTTP/1.1\r\nHost: h\r\nX-Request-Id: r-" + n + "\r\nContent-Length: "
                + bodyBytes + "\r\n\r\n";
        var out = new byte[head.length() + bodyBytes];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        return out;
    }

    private static int readsAfterPausingAndHalfAMessage(boolean withGate) {
        var reads = new Reads();
        var channel = new EmbeddedChannel();
        if (withGate) {
            channel.pipeline().addLast(reads, new ReadGate());
        } else {
            channel.pipeline().addLast(reads);
        }
        channel.pipeline().addLast(ServerCodecs.http(), new HttpObjectAggregator(16 * 1024 * 1024), new NeverAnswers());
        // 1 answered (never) + 64 waiting: the handler stops reading.
        for (int i = 0; i <= InOrderHandler.MAX_WAITING; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(post(i, 16)));
        }
        assertThat(channel.config().isAutoRead()).isFalse();
        int before = reads.count;
        // A read that ends inside a message: the aggregator asks for more at the end of it.
        var big = post(999, 256 * 1024);
        channel.writeInbound(Unpooled.wrappedBuffer(big, 0, 64 * 1024));
        channel.pipeline().fireChannelReadComplete();
        int after = reads.count;
        channel.finishAndReleaseAll();
        return after - before;
    }

    @Test
    void aPausedConnectionIsNotReadEvenWhenTheAggregatorAsksForMore() {
        assertThat(readsAfterPausingAndHalfAMessage(true)).isZero();
    }

    @Test
    void withoutTheGateTheAggregatorReadsOnByItself() {
        // what the gate is for: the same connection without it is read again
        assertThat(readsAfterPausingAndHalfAMessage(false)).isPositive();
    }

    @Test
    void openingTheGateReadsAgain() {
        var reads = new Reads();
        var channel = new EmbeddedChannel(reads, new ReadGate());
        ReadGate.close(channel);
        int closedAt = reads.count; // registering the channel read once
        channel.read();
        assertThat(reads.count).isEqualTo(closedAt);

        ReadGate.open(channel);

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(reads.count).isGreaterThan(closedAt);
        channel.finishAndReleaseAll();
    }
}
