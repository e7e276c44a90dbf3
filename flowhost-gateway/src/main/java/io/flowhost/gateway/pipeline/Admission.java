package io.flowhost.gateway.pipeline;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.gateway.Call;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a call may go on to a deployment that guards its calls ({@link Deployment#access()}): its caller's token
 * and the quotas. Asked on the call's event loop, so it answers at once from what it knows and looks anything else
 * up elsewhere.
 */
@FunctionalInterface
public interface Admission {

    /** Already let by: what {@link #admit} returns when it decided at once. */
    CompletableFuture<Void> ADMITTED = CompletableFuture.completedFuture(null);

    /** Lets every call by: for a gateway without tokens or quotas. */
    Admission OPEN = (call, deployment) -> ADMITTED;

    /**
     * {@link #ADMITTED}, a future completed later (when something had to be looked up), or one failed with why the
     * call is refused; never blocks.
     */
    CompletableFuture<Void> admit(Call call, Deployment deployment);
}
