package io.flowhost.state.postgres;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.AuditStore;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.RequestStore;
import io.flowhost.state.StateStore;
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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Nested;

/**
 * The PostgreSQL stores pass every contract of the state store, against a real PostgreSQL server (a throwaway
 * cluster, {@link TestPostgres}); each test place is a database of its own.
 */
class PostgresContractsTest {

    /** The state store that each opened part belongs to, to close it with the part. */
    private static final Map<Object, StateStore> OWNERS = new ConcurrentHashMap<>();

    private static StateStore state(Path place) {
        return PostgresStateStore.open(PostgresUrl.parse(TestPostgres.shared().databaseFor(place)));
    }

    /** A request store whose close closes its state store (and its connection pool) too. */
    private static RequestStore requests(Path place) {
        var state = state(place);
        var requests = state.requests();
        return (RequestStore) Proxy.newProxyInstance(
                RequestStore.class.getClassLoader(), new Class<?>[] {RequestStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        state.close();
                        return null;
                    }
                    try {
                        return method.invoke(requests, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void close(Object part) {
        var owner = OWNERS.remove(part);
        if (owner != null) {
            owner.close();
        }
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
            var state = state(place);
            OWNERS.put(state.deployments(), state);
            return state.deployments();
        }

        @Override
        protected void close(DeploymentStore store) {
            PostgresContractsTest.close(store);
        }
    }

    @Nested
    class Leaders extends LeadershipContract {
        @Override
        protected Leadership open(Path place) {
            var state = state(place);
            OWNERS.put(state.leadership(), state);
            return state.leadership();
        }

        @Override
        protected void close(Leadership store) {
            PostgresContractsTest.close(store);
        }
    }

    @Nested
    class Alerts extends AlertStateStoreContract {
        @Override
        protected AlertStateStore open(Path place) {
            var state = state(place);
            OWNERS.put(state.alerts(), state);
            return state.alerts();
        }

        @Override
        protected void close(AlertStateStore store) {
            PostgresContractsTest.close(store);
        }
    }

    @Nested
    class Tokens extends TokenStoreContract {
        @Override
        protected TokenStore open(Path place) {
            var state = state(place);
            OWNERS.put(state.tokens(), state);
            return state.tokens();
        }

        @Override
        protected void close(TokenStore store) {
            PostgresContractsTest.close(store);
        }
    }

    @Nested
    class Audit extends AuditStoreContract {
        @Override
        protected AuditStore open(Path place) {
            var state = state(place);
            OWNERS.put(state.audit(), state);
            return state.audit();
        }

        @Override
        protected void close(AuditStore store) {
            PostgresContractsTest.close(store);
        }
    }

    @Nested
    class Tables extends TableStoreContract {
        @Override
        protected TableStore open(Path place) {
            var state = state(place);
            OWNERS.put(state.tables(), state);
            return state.tables();
        }

        @Override
        protected void close(TableStore store) {
            PostgresContractsTest.close(store);
        }
    }
}
