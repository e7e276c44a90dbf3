package io.flowhost.cli;

import io.flowhost.alerts.AlertSettings;
import io.flowhost.alerts.AlertStatus;
import io.flowhost.alerts.AlertsJson;
import io.flowhost.alerts.PrometheusRules;
import io.flowhost.alerts.State;
import io.flowhost.domain.settings.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flowhost alerts}: a running server's alerts; {@code export --prometheus} for teams alerting in Prometheus. */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        subcommands = {AlertsCommand.Export.class, AlertsCommand.Defaults.class},
        description = {
            "List the alerts of a running server: firing, pending and recently resolved, with the value",
            "that set them off. The server evaluates its rules every 15s (its --alerts settings file)."
        })
final class AlertsCommand implements Runnable {

    @Option(names = "--rules", description = "List the rules the server evaluates instead.")
    boolean rules;

    @Option(names = "--json", description = "Print the server's JSON instead of a table.")
    boolean json;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var body = api.json(api.request("/v1/alerts").GET());
        if (json) {
            System.out.println(body.toPrettyString());
        } else if (rules) {
            var format = "%-28s %-14s %-10s %s%n";
            System.out.printf(format, "RULE", "SERVICE", "SEVERITY", "CONDITION");
            for (var r : body.path("rules")) {
                System.out.printf(
                        format,
                        r.path("name").asText(),
                        r.path("service").isTextual() ? r.path("service").asText() : "(every)",
                        r.path("severity").asText(),
                        r.path("condition").asText());
            }
        } else {
            print(AlertsJson.alerts(body), body.path("rules").size());
        }
    }

    private static void print(List<AlertStatus> alerts, int rules) {
        if (alerts.isEmpty()) {
            System.out.println("no alerts: " + rules + " rule" + (rules == 1 ? "" : "s")
                    + " evaluated, none pending or firing ('flowhost alerts --rules' lists them)");
            return;
        }
        var now = Instant.now();
        var format = "%-9s %-28s %-14s %-9s %-9s %-10s %s%n";
        System.out.printf(format, "STATE", "RULE", "SERVICE", "SEVERITY", "VALUE", "FOR", "SUMMARY");
        // Firing first: what needs someone now; then pending (may fire), then resolved (for the record).
        var order = List.of(State.FIRING, State.PENDING, State.RESOLVED);
        for (var a : alerts.stream()
                .sorted(Comparator.comparingInt(a -> order.indexOf(a.state())))
                .toList()) {
            System.out.printf(
                    format,
                    a.state().label(),
                    a.rule(),
                    a.service(),
                    a.severity(),
                    a.value() == null ? "-" : a.kind().format(a.value()),
                    a.since() == null
                            ? "-"
                            : Durations.elapsed(
                                    Duration.between(a.since(), now).isNegative()
                                            ? Duration.ZERO
                                            : Duration.between(a.since(), now).withNanos(0)),
                    a.summary());
        }
    }

    /** {@code flowhost alerts export --prometheus}: the rules as a Prometheus alerting rules file. */
    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = {
                "Write the alert rules as Prometheus alerting rules (YAML) to stdout, over the metrics",
                "the server exposes at /metrics, for teams whose alerting already runs in Prometheus."
            })
    static final class Export implements Runnable {

        @Option(names = "--prometheus", required = true, description = "As Prometheus alerting rules (YAML).")
        boolean prometheus;

        @Option(
                names = "--rules",
                paramLabel = "FILE",
                description = "The alert settings file to export (default: the built-in rules).")
        Path rules;

        @Override
        public void run() {
            System.out.print(PrometheusRules.export(settings(rules).rules()));
        }
    }

    /** {@code flowhost alerts defaults}: the built-in settings file, to start one's own from. */
    @Command(
            name = "defaults",
            mixinStandardHelpOptions = true,
            description = "Print the built-in alert settings (JSON): a file to copy, edit and pass to the server.")
    static final class Defaults implements Runnable {

        @Override
        public void run() {
            System.out.print(AlertSettings.defaultsJson());
        }
    }

    /** The settings in a file, or the defaults; a bad file is a usage error (exit 2) saying what is wrong. */
    static AlertSettings settings(Path file) {
        if (file == null) {
            return AlertSettings.defaults();
        }
        try {
            return AlertSettings.load(file);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }
}
