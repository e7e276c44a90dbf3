package io.flowhost.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Evaluates rules against stats: a pure function of (rules, stats, previous states, now), no clock of its own. */
public final class Evaluator {

    private final Duration keepResolved;

    /** An evaluator that lists a resolved alert for {@code keepResolved} before it becomes inactive. */
    public Evaluator(Duration keepResolved) {
        this.keepResolved = keepResolved;
    }

    /**
     * Every rule against every service it watches: the services of {@code stats} for a rule about every service, plus
     * those it still has an alert about (a service that went away resolves); reads each (service, window) once.
     */
    public Evaluation evaluate(List<Rule> rules, StatsSource stats, AlertStates previous, Instant now) {
        Map<String, ServiceStats> read = new HashMap<>();
        var services = stats.services();
        var next = new ArrayList<AlertState>();
        var transitions = new ArrayList<Transition>();
        for (var rule : rules) {
            for (var service : targets(rule, services, previous)) {
                var window = rule.window() == null ? Duration.ZERO : rule.window();
                var observed =
                        read.computeIfAbsent(service + "\u0000" + window, k -> stats.stats(service, window, now));
                var before = previous.get(rule, service);
                var after = step(rule, before, observed, now);
                next.add(after);
                if (after.state() != before.state()) {
                    transitions.add(new Transition(before.state(), after, now));
                }
            }
        }
        return new Evaluation(now, AlertStates.of(next), List.copyOf(transitions));
    }

    private AlertState step(Rule rule, AlertState before, ServiceStats observed, Instant now) {
        var value = rule.kind().observe(observed);
        boolean holds = value.isPresent() && value.getAsDouble() > rule.threshold();
        return before.next(holds, value.isPresent() ? value.getAsDouble() : null, now, keepResolved);
    }

    private static List<String> targets(Rule rule, List<String> services, AlertStates previous) {
        if (!rule.everyService()) {
            return List.of(rule.service());
        }
        var all = new TreeSet<>(services);
        all.addAll(previous.servicesOf(rule.name()));
        return List.copyOf(all);
    }
}
