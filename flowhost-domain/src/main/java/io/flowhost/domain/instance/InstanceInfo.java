package io.flowhost.domain.instance;

import java.time.Duration;
import java.time.Instant;

/**
 * What the platform reports of one instance.
 *
 * @param id the instance id
 * @param deploymentId the deployment it runs
 * @param state where it is in its life
 * @param pid its process id, or -1
 * @param address host:port, or empty while starting
 * @param startedAt when it was started
 * @param coldStart start to ready, or null while starting
 * @param inFlight calls in flight on it now
 * @param breakdown where its cold start went, or null while starting or when unknown
 */
public record InstanceInfo(
        String id,
        String deploymentId,
        InstanceState state,
        long pid,
        String address,
        Instant startedAt,
        Duration coldStart,
        int inFlight,
        ColdStart breakdown) {}
