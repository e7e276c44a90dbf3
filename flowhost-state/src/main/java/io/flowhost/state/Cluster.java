package io.flowhost.state;

import io.flowhost.domain.instance.InstanceAddress;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the gateways sharing one state tell each other: that they are alive and their demand, the instances the
 * leader runs, the deployments to wake, and the jars (so that a new leader on another host can start them). On one
 * machine (SQLite) there is one gateway and nothing to share beyond this process.
 */
public interface Cluster {

    /**
     * A gateway's demand on one deployment.
     *
     * @param inFlight its calls in flight on the deployment's instances
     * @param held its calls waiting for an instance
     * @param lastArrival when its last call arrived, or null
     */
    record Demand(int inFlight, int held, Instant lastArrival) {

        /** This demand and another's together. */
        public Demand plus(Demand other) {
            var last = lastArrival == null
                    ? other.lastArrival
                    : other.lastArrival == null || lastArrival.isAfter(other.lastArrival)
                            ? lastArrival
                            : other.lastArrival;
            return new Demand(inFlight + other.inFlight, held + other.held, last);
        }
    }

    /**
     * A deployment's ready instances as a leader published them.
     *
     * @param term the publishing leader's term: a set from an older term than the current leader's is stale
     */
    record Published(long term, List<InstanceAddress> ready) {

        public Published {
            ready = List.copyOf(ready);
        }
    }

    /** What a gateway hears from the others. */
    interface Listener {

        /** Deployments or published instances changed (or may have: a reconnect); read them again. */
        void changed();

        /** A call waits for an instance of this deployment on some gateway: the leader should look at it now. */
        void wake(String deploymentId);
    }

    /** Says that this gateway is alive at {@code address}, with this demand, replacing its last report. */
    void report(String gateway, String address, Map<String, Demand> demand, Instant now);

    /** The gateways that reported since {@code since}: name to address. */
    Map<String, String> gateways(Instant since);

    /** The demand of the gateways other than {@code self} that reported since {@code since}, summed per deployment. */
    Map<String, Demand> demandOfOthers(String self, Instant since);

    /** Asks the leader to look at a deployment now (after reporting the held call that needs it). */
    void wake(String deploymentId);

    /**
     * Publishes a deployment's ready instances (none: it has none, or it was retired) in the leader's term; a set
     * published in a newer term is never replaced by an older term's.
     */
    void publish(long term, String deploymentId, List<InstanceAddress> ready);

    /** Every published set, by deployment id. */
    Map<String, Published> published();

    /** Calls the listener on what the other gateways (and this one) say, from a thread of the store's. */
    void listen(Listener listener);

    /** Keeps the jar in this file for every gateway, by its SHA-256, read as it is sent (never whole in memory). */
    void keepJar(String sha256, Path jar);

    /** Forgets a jar kept by {@link #keepJar} that no deployment uses (its deploy failed). */
    void dropJar(String sha256);

    /**
     * Writes a jar kept by {@link #keepJar} to {@code out} as it is read (never whole in memory); false, writing
     * nothing, if no such jar is kept.
     */
    boolean copyJar(String sha256, OutputStream out);

    /**
     * A random 256-bit key every gateway of this state shares, made by the first that asks: what the tokens a
     * deployment's pods present are signed with, so that any gateway can check them.
     */
    byte[] signingKey();
}
