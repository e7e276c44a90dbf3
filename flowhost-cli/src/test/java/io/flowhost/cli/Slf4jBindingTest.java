package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the AWS SDK logs through SLF4J reaches java.util.logging, where flowhost's own lines go,
 * instead of SLF4J's "no binding" warning on every start and nothing logged.
 */
class Slf4jBindingTest {

    @Test
    void slf4jLinesGoToJavaUtilLogging() {
        var seen = new ArrayList<LogRecord>();
        var julLogger = Logger.getLogger("software.amazon.awssdk.test");
        var handler = new Collecting(seen);
        julLogger.addHandler(handler);
        try {
            LoggerFactory.getLogger("software.amazon.awssdk.test").warn("credentials expire in {} minutes", 5);
        } finally {
            julLogger.removeHandler(handler);
        }

        assertThat(seen).extracting(LogRecord::getMessage).containsExactly("credentials expire in 5 minutes");
    }

    private static final class Collecting extends Handler {
        private final List<LogRecord> seen;

        Collecting(List<LogRecord> seen) {
            this.seen = seen;
        }

        @Override
        public void publish(LogRecord record) {
            seen.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
