package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.instance.ColdStart;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.contract.InstanceDriverContract;
import io.flowhost.wire.netty.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Instances as child JVMs pass the driver contract. */
@Tag("e2e")
class ProcessDriverContractTest extends InstanceDriverContract {

    private Path dataDir;

    @Override
    protected InstanceDriver driver(Path dataDir) {
        this.dataDir = dataDir;
        var driver = new ProcessDriver(new ProcessSettings(dataDir, List.of(), 1024 * 1024, null));
        driver.gateway("http://127.0.0.1:9");
        return driver;
    }

    @Override
    protected void crash(RunningInstance instance) {
        ProcessHandle.of(instance.pid()).orElseThrow().destroyForcibly();
    }

    @Override
    protected boolean takesCallsOnASocket() {
        return Transport.forInstance().hasDomainSockets(); // Linux: epoll
    }

    @Test
    void askedForTcpOnlyOrWithADataDirTooDeepForASocketAnInstanceTakesCallsOnItsPortAlone() throws Exception {
        System.setProperty(ProcessDriver.TCP_ONLY, "true");
        try {
            var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");
            assertThat(instance.socket()).isNull();
            assertThat(echo(instance, "{}").statusCode()).isEqualTo(200);
        } finally {
            System.clearProperty(ProcessDriver.TCP_ONLY);
        }

        var deep = Files.createDirectories(dataDir.resolve("d".repeat(100)));
        try (var driver = new ProcessDriver(new ProcessSettings(deep, List.of(), 1024 * 1024, null))) {
            driver.gateway("http://127.0.0.1:9");
            var instance = driver.start(deployment(echoJar(), ""), "echo-v1-1");
            assertThat(instance.socket()).isNull();
            assertThat(echo(instance, "{}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anEarlierRunsFolderOfTheSameInstanceIdIsKeptApart() throws Exception {
        EarlierRun.startAfterOne(opened(), dataDir, deployment(echoJar(), ""));
    }

    @Test
    void withNoWarmSparesNoJvmStartsBeforeAnInstanceIsAskedFor() throws Exception {
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        assertThat(liveChildren()).extracting(ProcessHandle::pid).containsExactly(instance.pid());
    }

    @Test
    void aStoppedInstanceShutsDownAsAskedRatherThanKillingItself() throws Exception {
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        instance.stop(Duration.ofSeconds(10));

        // Its shutdown hook ran (calls in progress answered, the class cache written): a JVM ending on SIGTERM exits
        // 143. One that took its closed standard input for its server's death would have killed itself (137).
        assertThat(instance.exited().get(30, TimeUnit.SECONDS)).isEqualTo(143);
        assertThat(Files.readString(dataDir.resolve("instances/echo-v1-1/instance.log")))
                .doesNotContain("the server that started this instance is gone");
    }

    @Test
    void anInstanceLoadsNettysNativeLibraryUnpackedOnceUnderTheDataDirNotACopyOfItsOwn() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc");
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        var mapped = Files.readAllLines(Path.of("/proc/" + instance.pid() + "/maps")).stream()
                .filter(line -> line.contains("libnetty_transport_native_epoll"))
                .map(line -> line.substring(line.indexOf('/')))
                .distinct()
                .toList();
        // (a copy of its own would read "/tmp/libnetty_transport_native_epoll_x86_64<random>.so (deleted)")
        assertThat(mapped)
                .singleElement()
                .asString()
                .startsWith(dataDir.resolve("instances").resolve("native") + "/");
    }

    @Test
    void aDeploysFirstInstanceIsTheJvmThatCheckedItsJarAndTheNextOneAJvmOfItsOwn() throws Exception {
        var deployment = deployment(echoJar(), "");
        var checker = liveChildren();
        assertThat(checker).as("the JVM that checked the jar waits").hasSize(1);

        var first = opened().start(deployment, "echo-v1-1");
        var second = opened().start(deployment, "echo-v1-2");

        assertThat(first.pid()).isEqualTo(checker.getFirst().pid());
        assertThat(echo(first, "{\"n\":1}").body()).isEqualTo("{\"n\":1}");
        assertThat(echo(second, "{\"n\":2}").body()).isEqualTo("{\"n\":2}");
        assertThat(second.coldStartBreakdown().parts())
                .extracting(ColdStart.Part::key)
                .containsExactly("processStart", "jvmToMain", "listening", "constructor", "readiness");
        assertThat(Files.readString(dataDir.resolve("instances/echo-v1-1/instance.log")))
                .as("one log from the check to the instance")
                .contains("service checked in")
                .contains("service 'echo' listening on");
    }

    @Test
    void theJvmThatCheckedAJarStopsWhenItsDeployEndsWithoutIt() throws Exception {
        var jar = echoJar();
        opened().describe(jar, "");
        var checker = liveChildren();
        assertThat(checker).hasSize(1);

        opened().settled(jar);

        assertThat(checker.getFirst().isAlive()).isFalse();
        try (var left = Files.list(dataDir.resolve("instances"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".spare-"));
        }
    }

    @Test
    void aJarCheckedAgainReplacesTheJvmThatCheckedItBefore() throws Exception {
        var jar = echoJar();
        opened().describe(jar, "");
        var before = liveChildren();

        opened().describe(jar, "");

        var now = liveChildren();
        assertThat(now).hasSize(1).doesNotContainAnyElementsOf(before);
    }

    /** This JVM's live child processes: the instances and the JVMs that checked jars. */
    private static List<ProcessHandle> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }

    @Override
    protected List<String> coldStartParts() {
        // Each test's first instance of a deployment: the JVM that checked the jar.
        return List.of(ProcessDriver.CHECK_HANDOFF, "listening", "constructor", "readiness");
    }
}
