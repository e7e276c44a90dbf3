package io.flowhost.wire.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller resetting an idle connection is routine (every load tester does it on stopping) and stays out of the
 * log at its default level; a reset in the middle of a call is logged.
 */
class ConnectionErrorLogTest {

    private final Logger log = Logger.getLogger("flowhost.http");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level levelBefore;

    /** Never answers: a request it was given stays in progress. */
    private static final class NeverAnswers extends InOrderHandler {
        NeverAnswers() {
            super(1024 * 1024);
        }

        @Override
        protected void handle(FullHttpRequest request, Reply reply) {
            request.release();
        }
    }

    @BeforeEach
    void listen() {
        levelBefore = log.getLevel();
        log.setLevel(Level.ALL);
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
        log.setLevel(levelBefore);
    }

    private static EmbeddedChannel connection() {
        return new EmbeddedChannel(ServerCodecs.http(), new HttpObjectAggregator(1024 * 1024), new NeverAnswers());
    }

    private LogRecord onlyRecord() {
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    @Test
    void aResetWithNoCallInProgressIsLoggedOnlyAtDebug() {
        var channel = connection();
        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset by peer"));

        assertThat(onlyRecord().getLevel()).isEqualTo(Level.FINE); // System.Logger's DEBUG
        assertThat(onlyRecord().getMessage()).contains("Connection reset by peer");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aResetInTheMiddleOfACallIsLoggedAtInfo() {
        var channel = connection();
        var head = "POST /v1/services/x/y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";
        channel.writeInbound(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
        channel.pipeline().fireExceptionCaught(new SocketException("Connection reset by peer"));

        assertThat(onlyRecord().getLevel()).isEqualTo(Level.INFO);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anErrorThatIsNotTheConnectionsIsLoggedAtInfoEvenWhenIdle() {
        var channel = connection();
        channel.pipeline().fireExceptionCaught(new IllegalStateException("a handler's bug"));

        assertThat(onlyRecord().getLevel()).isEqualTo(Level.INFO);
    }
}
