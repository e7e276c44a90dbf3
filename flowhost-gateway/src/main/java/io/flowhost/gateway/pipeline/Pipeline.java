package io.flowhost.gateway.pipeline;

import io.flowhost.gateway.AsyncIntake;
import io.flowhost.gateway.Forwarder;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.shadow.ShadowObserver;
import io.flowhost.gateway.shadow.Shadowing;
import io.flowhost.wire.tracing.Tracing;

/**
 * What happens to every call, in order: recorded, traced, answered with a problem if it fails, checked and
 * admitted, and then forwarded to an instance or queued. Callers at the gateway's port and the async dispatcher both go
 * through it.
 */
public final class Pipeline {

    private Pipeline() {}

    /**
     * The gateway's pipeline; without the recording stage when {@code observer} is {@link CallObserver#NONE},
     * and without tracing when it is off, so that neither costs anything then.
     */
    public static CallHandler of(
            RouteTable routes,
            Forwarder forwarder,
            AsyncIntake intake,
            Admission admission,
            CallObserver observer,
            ShadowObserver shadows,
            Tracing tracing) {
        CallHandler handler =
                new Answering(new Checking(routes, forwarder, intake, admission, new Shadowing(forwarder, shadows)));
        if (tracing.enabled()) {
            handler = new Traced(handler, tracing);
        }
        if (observer != CallObserver.NONE) {
            handler = new Recording(handler, observer);
        }
        return handler;
    }
}
