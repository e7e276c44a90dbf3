package io.flowhost.state.sqlite;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.AuditStore;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.RequestStore;
import io.flowhost.state.TableStore;
import io.flowhost.state.TokenStore;
import io.flowhost.state.contract.AlertStateStoreContract;
import io.flowhost.state.contract.AuditStoreContract;
import io.flowhost.state.contract.CallbacksOwedContract;
import io.flowhost.state.contract.CancelContract;
import io.flowhost.state.contract.ConcurrentSubmitContract;
import io.flowhost.state.contract.DeploymentStoreContract;
import io.flowhost.state.contract.LeadershipContract;
import io.flowhost.state.contract.LeaseContract;
import io.flowhost.state.contract.ReopenContract;
import io.flowhost.state.contract.SubmitContract;
import io.flowhost.state.contract.SweepContract;
import io.flowhost.state.contract.TableStoreContract;
import io.flowhost.state.contract.TokenStoreContract;
import io.flowhost.state.contract.WhenFinishedContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The embedded SQLite stores pass every contract of the state store, as the PostgreSQL ones will have to. */
class SqliteContractsTest {

    private static RequestStore requests(Path place) {
        return SqliteRequestStore.open(place.resolve("requests.db"));
    }

    @Nested
    class Submit extends SubmitContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class ConcurrentSubmit extends ConcurrentSubmitContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class Lease extends LeaseContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class Cancel extends CancelContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class CallbacksOwed extends CallbacksOwedContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class Sweep extends SweepContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class WhenFinished extends WhenFinishedContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class Reopen extends ReopenContract {
        @Override
        protected RequestStore open(Path place) {
            return requests(place);
        }
    }

    @Nested
    class Deployments extends DeploymentStoreContract {
        @Override
        protected DeploymentStore open(Path place) {
            return SqliteDeploymentStore.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(DeploymentStore store) {
            ((SqliteDeploymentStore) store).close();
        }
    }

    @Nested
    class Leaders extends LeadershipContract {
        @Override
        protected Leadership open(Path place) {
            return SqliteLeadership.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(Leadership store) {
            ((SqliteLeadership) store).close();
        }
    }

    @Nested
    class Alerts extends AlertStateStoreContract {
        @Override
        protected AlertStateStore open(Path place) {
            return SqliteAlertStateStore.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(AlertStateStore store) {
            ((SqliteAlertStateStore) store).close();
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TokenStore open(Path place) {
            return SqliteTokenStore.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(TokenStore store) {
            ((SqliteTokenStore) store).close();
        }
    }

    @Nested
    class Audit extends AuditStoreContract {
        @Override
        protected AuditStore open(Path place) {
            return SqliteAuditStore.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(AuditStore store) {
            ((SqliteAuditStore) store).close();
        }
    }

    @Nested
    class Tables extends TableStoreContract {
        @Override
        protected TableStore open(Path place) {
            return SqliteTableStore.open(place.resolve("flowhost.db"));
        }

        @Override
        protected void close(TableStore store) {
            ((SqliteTableStore) store).close();
        }
    }
}
