package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.instance.ColdStart;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.contract.InstanceDriverContract;
import io.flowhost.runtime.InstanceMain;
import io.flowhost.wire.netty.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Instances handed to warm spares pass the driver contract, and spares are used once, replaced, and stopped. */
@Tag("e2e")
class WarmSpareDriverContractTest extends InstanceDriverContract {

    /** A spare's start and warm-up, on a loaded 2-core machine. */
    private static final Duration WARM = Duration.ofSeconds(120);

    private Path dataDir;

    @Override
    protected InstanceDriver driver(Path dataDir) {
        this.dataDir = dataDir;
        var driver = new ProcessDriver(new ProcessSettings(
                dataDir, List.of(), 1024 * 1024, null, ProcessSettings.LOOPBACK, ProcessSettings.LOOPBACK, 1));
        driver.gateway("http://127.0.0.1:9"); // the spares start with the gateway known, as in a server
        // Each test's first jar is checked in the spare (and its first instance is that spare) once it is idle.
        await().atMost(WARM).until(() -> driver.idleSpares() == 1);
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

    @Override
    protected List<String> coldStartParts() {
        return List.of(ProcessDriver.SPARE_HANDOFF, "listening", "constructor", "readiness");
    }

    /** This JVM's children started as spares, but for the instances given (spares they became). */
    static List<ProcessHandle> spares(RunningInstance... instances) {
        var taken = Stream.of(instances).map(RunningInstance::pid).toList();
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> !taken.contains(p.pid()))
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> List.of(args).contains(InstanceMain.SPARE))
                        .orElse(false))
                .toList();
    }

    private static ProcessHandle oneSpare(RunningInstance... instances) {
        return await().atMost(WARM)
                .until(() -> spares(instances), s -> s.size() == 1)
                .getFirst();
    }

    @Test
    void anInstanceIsTheSpareHandedItsDeploymentAndANewSpareTakesItsPlace() throws Exception {
        var spare = oneSpare();

        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        assertThat(instance.pid()).as("the spare became the instance").isEqualTo(spare.pid());
        assertThat(echo(instance, "{\"a\":1}").body()).isEqualTo("{\"a\":1}");
        assertThat(instance.coldStartBreakdown().parts().getFirst().key()).isEqualTo(ProcessDriver.SPARE_HANDOFF);
        if (takesCallsOnASocket()) {
            assertThat(instance.socket())
                    .as("bound on the handoff, as a JVM started for it binds it")
                    .exists();
        }
        var next = oneSpare(instance);
        assertThat(next.pid()).isNotEqualTo(spare.pid());
        // The spare's folder became the instance's: its log holds the warm-up (whole, or cut short by the handoff)
        // and the instance's start.
        var log = Files.readString(
                dataDir.resolve("instances").resolve("echo-v1-1").resolve("instance.log"));
        assertThat(log)
                .containsPattern("warm spare (ready in|handed work after)")
                .contains("service 'echo' listening on");
    }

    @Test
    void theCrashReportOfAJvmThatWasASpareIsKeptInItsInstancesFolder() throws Exception {
        var spare = oneSpare();
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");
        assertThat(instance.pid()).isEqualTo(spare.pid());

        // A real JVM crash: HotSpot writes its report for a SIGSEGV sent by kill as for one of its own.
        var kill = new ProcessBuilder("kill", "-SEGV", String.valueOf(instance.pid())).start();
        assertThat(kill.waitFor()).isZero();
        instance.exited().get(120, TimeUnit.SECONDS);

        var name = "hs_err_pid" + instance.pid() + ".log";
        var report = dataDir.resolve("instances").resolve("echo-v1-1").resolve(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        assertThat(Files.readString(report)).contains("SIGSEGV");
        assertThat(Path.of(name)).as("not in the working directory").doesNotExist();
    }

    @Test
    void noTwoDeploymentsEverShareAJvm() throws Exception {
        var echo = deployment(echoJar(), "");
        var first = opened().start(echo, "echo-v1-1");
        var second = opened().start(echo, "echo-v1-2");
        first.stop(Duration.ofSeconds(10));
        var third = opened().start(echo, "echo-v1-3");

        assertThat(List.of(first.pid(), second.pid(), third.pid())).doesNotHaveDuplicates();
        assertThat(echo(second, "{}").statusCode()).isEqualTo(200);
        assertThat(echo(third, "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void aSpareThatDiedIsPassedOverAndTheJarIsCheckedAndServedInAJvmOfItsOwn() throws Exception {
        var spare = oneSpare();
        spare.destroyForcibly();
        spare.onExit().get(30, TimeUnit.SECONDS);

        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1");

        assertThat(echo(instance, "{}").statusCode()).isEqualTo(200);
        assertThat(instance.coldStartBreakdown().parts())
                .extracting(ColdStart.Part::key)
                .startsWith(ProcessDriver.CHECK_HANDOFF);
        assertThat(oneSpare(instance).pid())
                .as("a new spare replaces the dead one")
                .isNotEqualTo(spare.pid());
    }

    @Test
    void anEarlierRunsFolderOfTheSameInstanceIdIsKeptApart() throws Exception {
        EarlierRun.startAfterOne(opened(), dataDir, deployment(echoJar(), ""));
    }

    @Test
    void closingTheDriverAsItStartsANewSpareLeavesNoSpareBehind() throws Exception {
        var spare = oneSpare();
        var instance = opened().start(deployment(echoJar(), ""), "echo-v1-1"); // its end starts the next spare
        assertThat(instance.pid()).isEqualTo(spare.pid());

        opened().close();

        assertThat(spares(instance)).as("no spare runs once the close returns").isEmpty();
        try (var dirs = Files.list(dataDir.resolve("instances"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).noneMatch(name -> name.startsWith(".spare-"));
        }
    }

    @Test
    void closingTheDriverStopsItsSpareAndRemovesItsFolder() throws Exception {
        var spare = oneSpare();

        opened().close();

        spare.onExit().get(30, TimeUnit.SECONDS);
        try (var dirs = Files.list(dataDir.resolve("instances"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).noneMatch(name -> name.startsWith(".spare-"));
        }
    }
}
