package io.flowhost.alerts;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;

/**
 * Writes windows, {@code for} and duration thresholds in the largest whole unit, {@code 2m} rather than {@code 120s},
 * as alerting rules are written in Prometheus; anything finer than a second as {@link Durations#format} does.
 */
final class Spans {

    private Spans() {}

    static String format(Duration d) {
        if (d.isNegative() || d.getNano() != 0) {
            return Durations.format(d);
        }
        long s = d.getSeconds();
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s != 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
