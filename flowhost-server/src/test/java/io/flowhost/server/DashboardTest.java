package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against a real server with iris and echo deployed: each page shows what
 * the API says (rows, counts, the charts' points, cold starts, alerts, a request's result), follows live, and is saved
 * as a screenshot in target/screenshots (docs/ui-*.png are these).
 */
@Tag("e2e")
class DashboardTest {

    private static final String FLOWER = """
            {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}""";

    @RegisterExtension
    static final RunningServer flowhost = new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore())
            .withHistoryEvery(Duration.ofSeconds(1))
            .withAlertsFile(rules()));

    private static Http http;
    private static Browser browser;

    /** One alert that fires (an instance started) and one that stays pending (iris slower than 1 ms, for an hour). */
    private static Path rules() {
        try {
            var file = Files.createTempFile("flowhost-dashboard-alerts-", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    {"evaluation-interval": "1s",
                     "rules": [{"name": "InstanceStarted", "kind": "cold-starts", "threshold": 0, "window": "1h",
                                "severity": "info"},
                               {"name": "AnyLatency", "kind": "p99-latency", "service": "iris", "threshold": "1ms",
                                "window": "1h", "for": "1h", "severity": "warning"}]}""");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void deployAndCall() {
        http = flowhost.http();
        flowhost.deploy(TestJars.exampleBytes("iris"), "?min-instances=1");
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=1");
        for (int i = 0; i < 20; i++) {
            assertThat(http.postJson("/v1/services/echo/echo", "{\"hello\": \"world\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.postJson("/v1/services/iris/predict", FLOWER).statusCode())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(http.postJson("/v1/services/iris/predict", "{\"sepal_length\": \"long\"}")
                            .statusCode())
                    .isBetween(400, 499);
        }
        browser = new Browser();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private void open(String path) {
        browser.consoleErrors(); // what an earlier page said is not this one's
        browser.open(flowhost.server().uri(), path);
        browser.waitForDashboard();
    }

    @AfterEach
    void thePageSaidNothingWrong() {
        assertThat(browser.consoleErrors()).as("the browser's console").isEmpty();
    }

    @Test
    void theDeploymentsPageListsEachDeploymentAsTheApiDoes() {
        open("/ui");
        browser.script("live.stop()"); // the rows read below stay the ones drawn

        var deployments = Http.json(http.get("/v1/deployments")).path("deployments");
        assertThat(browser.findAll("tr[data-deployment]")).hasSize(deployments.size());
        for (var d : deployments) {
            var row = browser.find("tr[data-deployment='" + d.path("id").asText() + "']");
            long ready = StreamSupport.stream(d.path("instances").spliterator(), false)
                    .filter(i -> i.path("state").asText().equals("ready"))
                    .count();
            assertThat(cell(row, "instances"))
                    .isEqualTo(ready + " / " + d.path("instances").size());
            assertThat(row.getText())
                    .contains(d.path("service").asText())
                    .contains(d.path("state").asText());
        }
        var iris = browser.find("tr[data-deployment='iris-v1']").getText();
        var runs = deployments.findValues("runs").stream()
                .flatMap(r -> r.findValuesAsText("IrisFlow").stream())
                .toList();
        assertThat(runs).hasSize(1);
        assertThat(iris).as("the Metaflow run it serves").contains(runs.getFirst());
        assertThat(browser.find("[data-card='active']").getText()).isEqualTo("2");
        browser.screenshot("ui-deployments");
    }

    @Test
    void aDeploymentsPageChartsItsHistoryAndShowsItsColdStartsInstancesAndEndpoints() {
        // a few points with calls in them first (one a second here)
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Http.json(http.get("/v1/history/echo-v1")),
                        h -> h.path("at").size() >= 5);
        open("/ui/deployments/echo-v1");

        assertThat(browser.findAll("[data-chart] canvas")).hasSize(4);
        browser.script("live.stop()");
        @SuppressWarnings("unchecked")
        var shown = (List<List<Number>>) browser.script("return charts.get('calls').u.data");
        var history = Http.json(http.get("/v1/history/echo-v1"));
        // every point the chart shows is the API's point at that time (the API may have one more since)
        Map<Long, Double> api = new HashMap<>();
        for (int i = 0; i < history.path("at").size(); i++) {
            api.put(
                    history.path("at").get(i).asLong(),
                    history.path("callsPerSecond").get(i).asDouble());
        }
        assertThat(shown.getFirst()).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < shown.getFirst().size(); i++) {
            long at = shown.get(0).get(i).longValue();
            if (api.containsKey(at)) {
                assertThat(shown.get(1).get(i).doubleValue())
                        .as("calls/s at " + at)
                        .isEqualTo(api.get(at));
            }
        }
        assertThat(shown.getFirst().stream().map(Number::longValue).filter(api::containsKey))
                .hasSizeGreaterThanOrEqualTo(shown.getFirst().size() - 1);

        var start = history.path("coldStarts").get(0);
        var row = browser.find("tr[data-cold-start='" + start.path("instance").asText() + "']");
        assertThat(row.getText()).contains(start.path("totalMs").asText() + " ms");
        start.path("partsMs")
                .fieldNames()
                .forEachRemaining(part -> assertThat(row.getText())
                        .contains(part + " " + start.path("partsMs").path(part).asText()));

        var deployment = Http.json(http.get("/v1/deployments/echo-v1"));
        for (var instance : deployment.path("instances")) {
            assertThat(browser.find("tr[data-instance='" + instance.path("id").asText() + "']")
                            .getText())
                    .contains(String.valueOf(instance.path("pid").asLong()));
        }
        var endpoint = browser.find("tr[data-endpoint='echo']").getText();
        assertThat(endpoint).contains("/v1/services/echo/echo").contains("\"hello\"");
        assertThat(browser.find("[data-link='docs']").getDomAttribute("href")).isEqualTo("/v1/services/echo/docs");
        assertThat(browser.findAll("[data-action='undeploy']"))
                .as("no tokens on loopback: the one user may do everything")
                .hasSize(1);
        browser.screenshot("ui-deployment");
    }

    @Test
    void theScaleFromZeroDecisionShowsWithItsReason() {
        // a deployment at zero woken by a call: the decision that woke it is listed with its reason
        flowhost.deploy(TestJars.of(TestServices.Versioned.class), "?set=version=1&min-instances=0&idle-timeout=1s");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> decisions("model-v1"), d -> d.toString().contains("\"to\":0"));
        assertThat(http.postJson("/v1/services/model/predict", "{\"x\":1}").statusCode())
                .isEqualTo(200);
        var woke = await().atMost(Duration.ofSeconds(60))
                .until(() -> decisions("model-v1"), d -> d.size() >= 2)
                .get(1);
        assertThat(woke.path("from").asInt()).isZero();
        assertThat(woke.path("to").asInt()).isEqualTo(1);

        open("/ui/deployments/model-v1");

        var shown = browser.findAll("tr[data-decision]").stream()
                .map(WebElement::getText)
                .toList();
        // newest first; each with its reason as the API words it
        assertThat(shown.getLast())
                .contains("1 → 0")
                .contains(decisions("model-v1").get(0).path("reason").asText());
        assertThat(String.join("\n", shown))
                .contains("0 → 1")
                .contains(woke.path("reason").asText());
    }

    private static List<JsonNode> decisions(String deployment) {
        var history = http.get("/v1/history/" + deployment);
        if (history.statusCode() != 200) {
            return List.of();
        }
        return StreamSupport.stream(Http.json(history).path("decisions").spliterator(), false)
                .toList();
    }

    @Test
    void theRequestLogFiltersByStatusClassAndFollowsLive() {
        open("/ui/log");
        assertThat(browser.findAll("tr[data-seq]")).isNotEmpty();

        new Select(browser.find("select[name='status']")).selectByValue("4xx");
        browser.waiting()
                .until(d -> browser.findAll("tr[data-seq]").stream()
                        .allMatch(r -> r.getDomAttribute("data-status").startsWith("4")));
        var api = Http.json(http.get("/v1/log?status=4xx")).path("calls");
        var seqs = StreamSupport.stream(api.spliterator(), false)
                .map(c -> c.path("seq").asText())
                .collect(Collectors.toList());
        browser.waiting()
                .until(d -> browser.findAll("tr[data-seq]").stream()
                        .map(r -> r.getDomAttribute("data-seq"))
                        .toList()
                        .equals(seqs));

        // a new mistake shows up on its own; a new success does not pass the filter
        assertThat(http.postJson("/v1/services/echo/echo", "{}").statusCode()).isEqualTo(200);
        var bad = http.postJson("/v1/services/iris/predict", "{\"sepal_length\": \"long\"}");
        var id = bad.headers().firstValue("X-Request-Id").orElseThrow();
        browser.waiting().until(d -> browser.find("tr[data-seq]").getText().contains(id));
        // read in one go: the live page may redraw its rows between two reads of elements
        var statuses = (List<?>)
                browser.script("return [...document.querySelectorAll('tr[data-seq]')].map(r => r.dataset.status)");
        assertThat(statuses)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.toString()).startsWith("4"));
        browser.screenshot("ui-log");
    }

    @Test
    void theQueuePageShowsTheDepthAndARequestsResult() {
        var accepted = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString("{\"queued\": \"and answered\"}")));
        assertThat(accepted.statusCode()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Http.json(http.get("/v1/requests/" + id))
                                .path("state")
                                .asText(),
                        "succeeded"::equals);

        open("/ui/queue");
        browser.script("live.stop()"); // the depth chart's new points would redraw the rows and the result read below
        assertThat(new Select(browser.find("select#service"))
                        .getFirstSelectedOption()
                        .getText())
                .isEqualTo("echo");
        var listed = Http.json(http.get("/v1/requests?service=echo&limit=1000")).path("requests");
        long succeeded = StreamSupport.stream(listed.spliterator(), false)
                .filter(r -> r.path("state").asText().equals("succeeded"))
                .count();
        assertThat(browser.find("[data-card='succeeded']").getText()).isEqualTo(String.valueOf(succeeded));
        assertThat(browser.findAll("[data-chart] canvas")).hasSize(1);

        browser.find("tr[data-request='" + id + "'] a").click();
        var result = browser.waiting().until(d -> d.findElement(By.cssSelector("pre[data-result]")));
        assertThat(result.getText()).contains("\"queued\"").contains("\"and answered\"");
        browser.screenshot("ui-queue");
    }

    @Test
    void theAlertsPageShowsEachAlertWithItsStateAndValue() {
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Http.json(http.get("/v1/alerts")).path("alerts"),
                        a -> a.toString().contains("\"firing\"") && a.toString().contains("\"pending\""));
        open("/ui/alerts");
        browser.script("live.stop()");

        var alerts = Http.json(http.get("/v1/alerts"));
        assertThat(browser.findAll("tr[data-alert]"))
                .hasSize(alerts.path("alerts").size());
        for (var alert : alerts.path("alerts")) {
            var row = browser.find("tr[data-alert='" + alert.path("rule").asText() + "/"
                    + alert.path("service").asText() + "']");
            assertThat(row.getText()).contains(alert.path("state").asText());
            if (alert.path("rule").asText().equals("InstanceStarted")) {
                assertThat(row.getText()).contains(" " + alert.path("value").asLong() + " ");
            }
        }
        assertThat(browser.find("[data-card='firing']").getText())
                .isEqualTo(String.valueOf(alerts.path("alerts").findValuesAsText("state").stream()
                        .filter("firing"::equals)
                        .count()));
        browser.screenshot("ui-alerts");
    }

    @Test
    void aMistakeIsAProblemAndThePagesComeFromTheServerAlone() {
        var status = http.get("/v1/log?status=7xx");
        assertThat(status.statusCode()).isEqualTo(400);
        assertThat(Http.json(status).path("detail").asText()).contains("2xx, 3xx, 4xx or 5xx");
        var since = http.get("/v1/log?since=yesterday");
        assertThat(since.statusCode()).isEqualTo(400);
        assertThat(Http.json(since).path("detail").asText()).contains("15m");
        assertThat(http.get("/ui/nope").statusCode()).isEqualTo(404);
        assertThat(http.get("/ui/assets/secret.txt").statusCode()).isEqualTo(404);
        // flowhost's own script changes with the server; uPlot's is versioned by its webjar
        assertThat(http.get("/ui/assets/ui.js").headers().firstValue("Cache-Control"))
                .hasValue("no-cache");
        assertThat(http.get("/ui/assets/uPlot.min.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=utf-8");
        assertThat(http.get("/ui/assets/uPlot.min.css").headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=86400");
        assertThat(http.get("/ui").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }

    private static String cell(WebElement row, String column) {
        return row.findElement(By.cssSelector("[data-col='" + column + "']")).getText();
    }
}
