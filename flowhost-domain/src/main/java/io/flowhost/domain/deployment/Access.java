package io.flowhost.domain.deployment;

import io.flowhost.domain.access.Rate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who may call a deployment and how often: checked when built, a bad value failing with its key and what is
 * expected.
 *
 * @param tokenRequired {@code require-token}: whether a call needs a token with scope {@code invoke:SERVICE} (or
 *                      admin); default false, anyone who reaches the gateway may call
 * @param rate {@code rate} and {@code burst}: the service's quota over all its callers, per gateway; null for none
 */
public record Access(boolean tokenRequired, Rate rate) {

    /** Every key. */
    public static final List<String> KEYS = List.of("require-token", "rate", "burst");

    /** Open to anyone, with no quota: the default. */
    public static Access open() {
        return new Access(false, null);
    }

    /** Whether a call needs any look before it goes on: a token to check, or a quota to count. */
    public boolean guarded() {
        return tokenRequired || rate != null;
    }

    /** This access with values replaced by key ({@code require-token=true}); an unknown key or a bad value throws. */
    public Access with(Map<String, String> values) {
        var required = tokenRequired;
        var rateText = values.get("rate");
        var burstText = values.get("burst");
        for (var e : values.entrySet()) {
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(
                        e.getKey() + ": unknown access setting (expected one of: " + String.join(", ", KEYS) + ")");
            }
        }
        var flag = values.get("require-token");
        if (flag != null) {
            required = switch (flag.strip().toLowerCase(Locale.ROOT)) {
                case "true", "" -> true;
                case "false" -> false;
                default ->
                    throw new IllegalArgumentException("require-token: '" + flag + "' (expected: true or false)");
            };
        }
        var newRate = rate;
        if (rateText != null) {
            newRate = rateText.isBlank() ? null : Rate.parse(rateText, burst(burstText));
        } else if (burstText != null) {
            if (rate == null) {
                throw new IllegalArgumentException("burst: given without a rate (give rate too, such as 100/s)");
            }
            newRate = new Rate(rate.perSecond(), burst(burstText));
        }
        return new Access(required, newRate);
    }

    /** The values by key, as {@link #with} takes them (those set only). */
    public Map<String, String> toMap() {
        var map = new LinkedHashMap<String, String>();
        if (tokenRequired) {
            map.put("require-token", "true");
        }
        if (rate != null) {
            map.put("rate", rate.perUnit());
            map.put("burst", Integer.toString(rate.burst()));
        }
        return map;
    }

    private static Integer burst(String text) {
        return text == null ? null : Rate.burst(text);
    }
}
