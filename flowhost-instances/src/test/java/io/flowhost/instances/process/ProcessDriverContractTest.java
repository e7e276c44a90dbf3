package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.contract.InstanceDriverContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Instances as child JVMs pass the driver contract. */
@Tag("e2e")
class ProcessDriverContractTest extends InstanceDriverContract {

    @Override
    protected InstanceDriver driver(Path dataDir) {
        var driver = new ProcessDriver(new ProcessSettings(dataDir, List.of(), 1024 * 1024, null));
        driver.gateway("http://127.0.0.1:9");
        return driver;
    }

    @Override
    protected void crash(RunningInstance instance) {
        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();
    }

    @Test
    void withNoWarmSparesNoJvmStartsBeforeAnInstanceIsAskedFor() throws Exception {
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .extracting(ProcessHandle::pid)
                .containsExactly(instance.pid());
    }

    @Override
    protected List<String> coldStartParts() {
        return List.of("processStart", "jvmToMain", "listening", "constructor", "readiness");
    }
}
