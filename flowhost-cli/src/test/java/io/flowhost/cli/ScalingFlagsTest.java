package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.scaling.ScalingSettings;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy, serve, server and simulate take one set of scaling flags: every scaling key, named as the key. */
class ScalingFlagsTest {

    private static Set<String> scalingFlags(String command) {
        var spec = Main.commandLine().getSubcommands().get(command).getCommandSpec();
        var flags = new TreeSet<String>();
        for (var option : spec.options()) {
            for (var name : option.names()) {
                if (ScalingSettings.KEYS.contains(name.substring(2))) {
                    flags.add(name);
                }
            }
        }
        return flags;
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "serve", "server", "simulate"})
    void everyScalingKeyIsAFlagOfTheSameName(String command) {
        var expected = new TreeSet<String>();
        ScalingSettings.KEYS.forEach(key -> expected.add("--" + key));

        assertThat(scalingFlags(command)).isEqualTo(expected);
    }

    @Test
    void theFourCommandsShareOneDescriptionOfEachFlag() {
        var deploy = Main.commandLine().getSubcommands().get("deploy").getCommandSpec();
        for (var command : new String[] {"serve", "server", "simulate"}) {
            var other = Main.commandLine().getSubcommands().get(command).getCommandSpec();
            for (var key : ScalingSettings.KEYS) {
                assertThat(other.findOption("--" + key).description())
                        .as(command + " --" + key)
                        .isEqualTo(deploy.findOption("--" + key).description());
            }
        }
    }
}
