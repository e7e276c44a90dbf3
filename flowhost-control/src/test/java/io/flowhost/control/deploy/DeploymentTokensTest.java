package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeploymentTokensTest {

    private static byte[] key(int fill) {
        var key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void aTokenIsGoodForItsDeploymentOnlyAndUnderItsKeyOnly() {
        var tokens = new DeploymentTokens(() -> key(1));
        var token = tokens.tokenFor("iris-v3");

        assertThat(token).matches("[0-9a-f]{64}");
        assertThat(tokens.accepts("iris-v3", token)).isTrue();
        assertThat(tokens.accepts("iris-v3", token + "\n"))
                .as("a trailing newline from a Secret file")
                .isTrue();
        assertThat(tokens.accepts("iris-v4", token)).isFalse();
        assertThat(tokens.accepts("iris-v3", token.substring(1))).isFalse();
        assertThat(tokens.accepts("iris-v3", null)).isFalse();
        assertThat(new DeploymentTokens(() -> key(2)).accepts("iris-v3", token)).isFalse();
    }

    @Test
    void everyGatewayWithTheSameKeyMakesTheSameToken() {
        assertThat(new DeploymentTokens(() -> key(7)).tokenFor("echo-v1"))
                .isEqualTo(new DeploymentTokens(() -> key(7)).tokenFor("echo-v1"));
    }
}
