package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server listening on every interface says so, and warns that its management API is open. */
@Tag("e2e")
class ListeningAddressTest {

    private static final List<LogRecord> logged = new ArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public synchronized void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    // Before the server starts, which the extension does before any @BeforeEach method.
    @BeforeAll
    static void listen() {
        Logger.getLogger("flowhost.server").addHandler(capture);
    }

    @AfterAll
    static void stopListening() {
        Logger.getLogger("flowhost.server").removeHandler(capture);
    }

    @RegisterExtension
    final RunningServer flowhost =
            new RunningServer(settings -> settings.withHost("0.0.0.0").withInsecure(true));

    @Test
    void onEveryInterfaceTheServerSaysSoAndWarnsThatDeploysAreOpen() {
        var server = flowhost.server();

        assertThat(server.listening()).isEqualTo("http://0.0.0.0:" + server.port() + " (every interface)");
        assertThat(server.loopbackOnly()).isFalse();
        synchronized (capture) {
            assertThat(logged)
                    .anySatisfy(r -> assertThat(r.getMessage())
                            .contains("flowhost listening on http://0.0.0.0:" + server.port()));
            assertThat(logged)
                    .anySatisfy(r -> assertThat(r.getMessage())
                            .contains("anyone who can reach port " + server.port() + " can deploy code"));
        }
    }
}
