package io.flowhost.gateway;

import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Where a service's calls go: its primary's route and, while a version rolls out beside it, that version's route
 * with its share. Picking a route takes no lock and allocates nothing for a call without a route key.
 *
 * @param primary the route of the service's primary
 * @param other the route of its canary or shadow, or null
 * @param variant what {@code other} is, or {@link Variant#PRIMARY} when there is none
 * @param split {@code other}'s share of calls (a canary's) or of copies (a shadow's)
 * @param keyHeader the header whose value keeps a caller on one version
 */
public record Routing(Route primary, Route other, Variant variant, Split split, AsciiString keyHeader) {

    /** A service with its primary only. */
    static Routing of(Route primary) {
        return new Routing(primary, null, Variant.PRIMARY, Split.NONE, null);
    }

    /** A service with a canary or shadow rolling out beside its primary. */
    static Routing of(Route primary, Route other) {
        var rollout = other.deployment().rollout();
        return new Routing(
                primary, other, other.deployment().variant(), rollout.split(), AsciiString.of(rollout.keyHeader()));
    }

    /**
     * The route a call with these headers takes: the canary's for its share of calls (the same route key, the same
     * version), else the primary's.
     */
    public Route pick(HttpHeaders headers) {
        if (variant != Variant.CANARY) {
            return primary;
        }
        var key = headers.get(keyHeader);
        return (key == null ? split.toOtherByChance() : split.toOther(key)) ? other : primary;
    }

    /** The shadow's route when this call's copy should go to it, else null. */
    public Route shadowFor(HttpHeaders headers) {
        if (variant != Variant.SHADOW) {
            return null;
        }
        var key = headers.get(keyHeader);
        return (key == null ? split.toOtherByChance() : split.toOther(key)) ? other : null;
    }

    /** The route of this deployment of the service (a queued call runs on the version that accepted it), or null. */
    public Route of(String deploymentId) {
        if (primary != null && primary.deployment().id().equals(deploymentId)) {
            return primary;
        }
        return other != null && other.deployment().id().equals(deploymentId) ? other : null;
    }
}
