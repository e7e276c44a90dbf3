package io.flowhost.instances.process;

import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.contract.InstanceDriverContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;

/** Instances as child JVMs pass the driver contract. */
@Tag("e2e")
class ProcessDriverContractTest extends InstanceDriverContract {

    @Override
    protected InstanceDriver driver(Path dataDir) {
        return new ProcessDriver(new ProcessSettings(dataDir, List.of(), 1024 * 1024, null));
    }

    @Override
    protected void crash(RunningInstance instance) {
        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();
    }

    @Override
    protected List<String> coldStartParts() {
        return List.of("processStart", "jvmToMain", "listening", "constructor", "readiness");
    }
}
