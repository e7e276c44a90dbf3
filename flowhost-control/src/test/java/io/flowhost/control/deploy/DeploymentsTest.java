package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.control.supervise.FakeDriver;
import io.flowhost.control.supervise.Routes;
import io.flowhost.control.supervise.Supervisor;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsTest {

    @TempDir
    Path dir;

    private final FakeDriver driver = new FakeDriver();
    private final Routes routes = new Routes();
    private final Supervisor supervisor = new Supervisor(driver, routes, id -> 0, Duration.ofSeconds(1));
    private SqliteStateStore state;

    @BeforeEach
    void open() {
        state = SqliteStateStore.open(dir.resolve("state"));
    }

    @AfterEach
    void close() {
        supervisor.close();
        state.close();
    }

    @Test
    void aDeployWhoseRecordFailsStopsItsInstanceAndARetryUndeploysCleanly() throws Exception {
        var store = new FailingFirstActivate(state.deployments());
        var deployments = new Deployments(
                store,
                state.cluster(),
                driver,
                supervisor,
                dir,
                null,
                ArtifactRoots.none(),
                ScalingSettings.defaults(),
                2,
                Clock.systemUTC());
        var jar = Files.write(dir.resolve("svc.jar"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> deployments.deploy(jar, null, Map.of(), Map.of(), null))
                .hasMessageContaining("the state is away");
        assertThat(driver.running()).as("nobody could undeploy it").isEmpty();
        assertThat(routes.routed()).isEmpty();
        assertThat(supervisor.deployments()).isEmpty();

        var retried = deployments.deploy(jar, null, Map.of(), Map.of(), null);
        assertThat(retried.id()).isEqualTo("svc-v1");
        assertThat(driver.running()).hasSize(1);
        deployments.undeploy(retried.id());

        assertThat(driver.running()).isEmpty();
        assertThat(routes.routed()).isEmpty();
    }

    /** The state, but the first deployment recorded fails (the database was away for a moment). */
    private static final class FailingFirstActivate implements DeploymentStore {
        private final DeploymentStore store;
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingFirstActivate(DeploymentStore store) {
            this.store = store;
        }

        @Override
        public int nextVersion(String service) {
            return store.nextVersion(service);
        }

        @Override
        public void activate(Deployment deployment) {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("the state is away");
            }
            store.activate(deployment);
        }

        @Override
        public void update(Deployment deployment) {
            store.update(deployment);
        }

        @Override
        public void retire(String id) {
            store.retire(id);
        }

        @Override
        public Optional<Deployment> find(String id) {
            return store.find(id);
        }

        @Override
        public List<Deployment> all() {
            return store.all();
        }

        @Override
        public List<Deployment> active() {
            return store.active();
        }
    }
}
