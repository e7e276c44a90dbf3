package io.flowhost.gateway.shadow;

import io.flowhost.domain.deployment.Deployment;

/** Where the gateway tells what became of shadow copies: each pair compared, each copy dropped. */
public interface ShadowObserver {

    /** Nowhere. */
    ShadowObserver NONE = new ShadowObserver() {
        @Override
        public void compared(ShadowPair pair) {}

        @Override
        public void dropped(Deployment shadow) {}
    };

    /** A copy was answered (or failed) and compared with the primary's answer; called on an event loop. */
    void compared(ShadowPair pair);

    /** A copy was not sent: the shadow had no instance with room. */
    void dropped(Deployment shadow);
}
