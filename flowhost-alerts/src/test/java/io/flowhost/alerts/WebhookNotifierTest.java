package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notifications POSTed to a real HTTP receiver in the Alertmanager webhook format. */
class WebhookNotifierTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Rule ERRORS = rule("{'name': 'FlowhostErrorRatioHigh', 'kind': 'error-ratio', "
            + "'threshold': 0.05, 'window': '5m', 'severity': 'critical', 'labels': {'team': 'ml'}}");

    private final Evaluator evaluator = new Evaluator(Duration.ofMinutes(15));
    private final FakeStats stats = new FakeStats()
            .set(new ServiceStats("echo", 100, 12, null, 0, null, 0, 0))
            .set(new ServiceStats("iris", 100, 30, null, 0, null, 0, 0));
    private Receiver receiver;
    private AlertNotifier notifier;

    private AlertNotifier notifier(Webhook... hooks) {
        notifier = AlertNotifier.webhooks(List.of(hooks), "http://flowhost:8080");
        return notifier;
    }

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void firingAlertsOfOneRuleArePostedTogetherInTheAlertmanagerFormat() throws Exception {
        receiver = new Receiver();
        var firing = evaluator.evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0);
        notifier(receiver.webhook("ops")).send(firing.transitions());

        var request = receiver.next();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/json");
        var echoLabels =
                Map.of("alertname", "FlowhostErrorRatioHigh", "service", "echo", "severity", "critical", "team", "ml");
        var irisLabels =
                Map.of("alertname", "FlowhostErrorRatioHigh", "service", "iris", "severity", "critical", "team", "ml");
        assertThat(request.body())
                .isEqualTo(JSON.readTree("""
                {
                  "version": "4",
                  "groupKey": "{}:{alertname=\\"FlowhostErrorRatioHigh\\"}",
                  "truncatedAlerts": 0,
                  "status": "firing",
                  "receiver": "ops",
                  "groupLabels": {"alertname": "FlowhostErrorRatioHigh"},
                  "commonLabels": {"alertname": "FlowhostErrorRatioHigh", "severity": "critical", "team": "ml"},
                  "commonAnnotations": {},
                  "externalURL": "http://flowhost:8080",
                  "alerts": [
                    {
                      "status": "firing",
                      "labels": {"alertname": "FlowhostErrorRatioHigh", "service": "echo", "severity": "critical",
                                 "team": "ml"},
                      "annotations": {
                        "description": "More than 5% of the calls to echo answered with a 5xx status over the last 5m.",
                        "summary": "echo: 12% of calls answered 5xx over 5m"
                      },
                      "startsAt": "2026-01-01T00:00:00Z",
                      "endsAt": "0001-01-01T00:00:00Z",
                      "generatorURL": "http://flowhost:8080/v1/alerts?rule=FlowhostErrorRatioHigh",
                      "fingerprint": "ECHO"
                    },
                    {
                      "status": "firing",
                      "labels": {"alertname": "FlowhostErrorRatioHigh", "service": "iris", "severity": "critical",
                                 "team": "ml"},
                      "annotations": {
                        "description": "More than 5% of the calls to iris answered with a 5xx status over the last 5m.",
                        "summary": "iris: 30% of calls answered 5xx over 5m"
                      },
                      "startsAt": "2026-01-01T00:00:00Z",
                      "endsAt": "0001-01-01T00:00:00Z",
                      "generatorURL": "http://flowhost:8080/v1/alerts?rule=FlowhostErrorRatioHigh",
                      "fingerprint": "IRIS"
                    }
                  ]
                }
                """.replace("ECHO", AlertmanagerPayload.fingerprint(echoLabels))
                        .replace("IRIS", AlertmanagerPayload.fingerprint(irisLabels))));
    }

    @Test
    void aResolvedAlertCarriesWhenItStartedAndEnded() throws Exception {
        receiver = new Receiver();
        notifier(receiver.webhook("ops"));
        var firing = evaluator.evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0);
        stats.set(new ServiceStats("echo", 100, 1, null, 0, null, 0, 0));
        var resolved = evaluator.evaluate(List.of(ERRORS), stats, firing.states(), T0.plusSeconds(15));
        notifier.send(firing.transitions());
        notifier.send(resolved.transitions());

        assertThat(receiver.next().body().path("status").asText()).isEqualTo("firing");
        var body = receiver.next().body();
        assertThat(body.path("status").asText()).isEqualTo("resolved");
        assertThat(body.path("alerts")).singleElement().satisfies(alert -> {
            assertThat(alert.path("status").asText()).isEqualTo("resolved");
            assertThat(alert.path("labels").path("service").asText()).isEqualTo("echo");
            assertThat(alert.path("startsAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(alert.path("endsAt").asText()).isEqualTo("2026-01-01T00:00:15Z");
            assertThat(alert.path("annotations").path("summary").asText())
                    .isEqualTo("echo: 1% of calls answered 5xx over 5m");
        });
        assertThat(body.path("commonLabels").path("service").asText()).isEqualTo("echo");
    }

    @Test
    void aFailingReceiverIsRetriedWithTheSameBody() throws Exception {
        receiver = new Receiver().answering(500, 503);
        notifier(receiver.webhook("ops"))
                .send(evaluator
                        .evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0)
                        .transitions());
        var first = receiver.next();
        assertThat(receiver.next().body()).isEqualTo(first.body());
        assertThat(receiver.next().body()).isEqualTo(first.body());
        assertThat(receiver.poll(Duration.ofMillis(200))).isNull(); // the third attempt got its 200
    }

    @Test
    void aReceiverThatRefusesWith400IsNotRetried() throws Exception {
        receiver = new Receiver().answering(400);
        notifier(receiver.webhook("ops"));
        var firing = evaluator.evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0);
        stats.set(ServiceStats.idle("echo"));
        var resolved = evaluator.evaluate(List.of(ERRORS), stats, firing.states(), T0.plusSeconds(15));
        notifier.send(firing.transitions());
        notifier.send(resolved.transitions());
        assertThat(receiver.next().body().path("status").asText()).isEqualTo("firing");
        assertThat(receiver.next().body().path("status").asText()).isEqualTo("resolved"); // the next one, not a retry
    }

    @Test
    void eachWebhookGetsItsOwnCopyNamedAsItsReceiver() throws Exception {
        receiver = new Receiver();
        try (var other = new Receiver()) {
            notifier(receiver.webhook("ops"), other.webhook("pager"))
                    .send(evaluator
                            .evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0)
                            .transitions());
            assertThat(receiver.next().body().path("receiver").asText()).isEqualTo("ops");
            assertThat(other.next().body().path("receiver").asText()).isEqualTo("pager");
        }
    }

    @Test
    void sendingNeverWaitsForAReceiverThatDoesNotAnswer() throws Exception {
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var hook = new Webhook(
                    "silent",
                    URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
                    Duration.ofMillis(500),
                    3,
                    Duration.ofMillis(10));
            var transitions = evaluator
                    .evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0)
                    .transitions();
            long start = System.nanoTime();
            notifier(hook).send(transitions);
            notifier.send(transitions);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
            long closing = System.nanoTime();
            notifier.close();
            notifier = null;
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void theFingerprintIsPrometheusesHashOfTheLabels() {
        // FNV-1a 64 over name, 0xff, value, 0xff for each label sorted by name, as Prometheus's labelSetToFingerprint.
        assertThat(AlertmanagerPayload.fingerprint(
                        Map.of("severity", "critical", "service", "echo", "alertname", "FlowhostErrorRatioHigh")))
                .isEqualTo("5fb4a585aa623547");
    }

    @Test
    void theLogLineSaysWhatHappenedToWhichServiceAndWhy() throws IOException {
        var firing = evaluator.evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0);
        assertThat(LogNotifier.line(firing.states().get(ERRORS, "echo")))
                .isEqualTo(
                        "alert FlowhostErrorRatioHigh "
                                + "firing for echo (critical): echo: 12% of calls answered 5xx over 5m [error-ratio > 5% over 5m]");
        stats.set(ServiceStats.idle("echo"));
        var resolved = evaluator.evaluate(List.of(ERRORS), stats, firing.states(), T0.plusSeconds(95));
        assertThat(LogNotifier.line(resolved.states().get(ERRORS, "echo")))
                .isEqualTo("alert FlowhostErrorRatioHigh "
                        + "resolved for echo (critical): echo: - of calls answered 5xx over 5m [error-ratio > 5% over 5m] "
                        + "after firing for 1m35s");
    }
}
