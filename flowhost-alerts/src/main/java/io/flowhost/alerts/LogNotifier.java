package io.flowhost.alerts;

import io.flowhost.domain.settings.Durations;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/** Notifications as log lines, e.g. {@code alert FlowhostErrorRatioHigh firing for echo: ...}. */
final class LogNotifier implements AlertNotifier {

    private static final System.Logger LOG = System.getLogger("flowhost.alerts");

    @Override
    public void send(List<Transition> transitions) {
        for (var t : transitions) {
            if (t.notifies()) {
                var a = t.alert();
                LOG.log(level(a), line(a));
            }
        }
    }

    /** The log line for an alert that started firing or resolved. */
    static String line(AlertState a) {
        var rule = a.rule();
        var what = "alert " + rule.name() + " " + a.state().label() + " for " + a.service() + " (" + rule.severity()
                + "): " + a.annotation("summary") + " [" + rule.condition() + "]";
        return a.state() == State.RESOLVED
                ? what + " after firing for " + Durations.elapsed(Duration.between(a.firingSince(), a.resolvedAt()))
                : what;
    }

    private static Level level(AlertState a) {
        return a.state() == State.FIRING && !a.rule().severity().equals("info") ? Level.WARNING : Level.INFO;
    }
}
