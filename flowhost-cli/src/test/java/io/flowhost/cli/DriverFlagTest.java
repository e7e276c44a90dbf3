package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --driver} takes process or kubernetes; a bad namespace, or a cluster that is not there, stops at once. */
class DriverFlagTest {

    @TempDir
    Path dataDir;

    private CommandsTest.Run server(String... more) {
        return CommandsTest.server(dataDir, more);
    }

    @Test
    void anotherDriverSaysWhichThereAre() {
        var run = server("--driver", "docker");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--driver: 'docker' (expected: process or kubernetes)");
    }

    @Test
    void aNamespaceKubernetesWouldRefuseIsRefusedHere() {
        var run = server("--driver", "kubernetes", "--namespace", "Serving_Models");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid setting: namespace: 'Serving_Models'");
    }

    @Test
    void aClusterThatCannotBeReachedStopsTheServerSayingWhatToDo() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // fabric8 reads the API server from this property before KUBECONFIG: a port where nothing listens.
        System.setProperty("kubernetes.master", "http://127.0.0.1:" + closedPort);
        try {
            var run = server("--driver", "kubernetes", "--namespace", "serving");

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err())
                    .contains("cannot use the Kubernetes API at http://127.0.0.1:" + closedPort)
                    .contains("KUBECONFIG");
        } finally {
            System.clearProperty("kubernetes.master");
        }
    }
}
