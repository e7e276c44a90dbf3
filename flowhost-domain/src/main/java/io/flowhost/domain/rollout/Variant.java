package io.flowhost.domain.rollout;

import java.util.Locale;

/** What a version is to its service: the primary, a canary taking a share of calls, or a shadow getting copies. */
public enum Variant {
    PRIMARY,
    CANARY,
    SHADOW;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** {@code primary}, {@code canary} or {@code shadow}: the label on metrics and in logs (one string each). */
    public String label() {
        return label;
    }
}
