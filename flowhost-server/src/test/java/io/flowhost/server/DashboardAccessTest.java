package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard asks what the management API asks: once tokens exist, a page asks for one; a read token sees
 * everything and no button, a deploy token sees the undeploy button, and what it does is the API's own undeploy,
 * on the audit trail under the token's name.
 */
@Tag("e2e")
class DashboardAccessTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @Test
    void aReadTokenSeesNoButtonsAndADeployTokenMayUndeploy() {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=1");
        var admin = token("root", "admin", null);
        var reader = token("dash", "read", admin);
        var deployer = token("ops", "deploy", admin);

        try (var browser = new Browser()) {
            browser.open(flowhost.server().uri(), "/ui/deployments/echo-v1");
            var asked = browser.waiting()
                    .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".login input[name='token']")));
            assertThat(browser.find(".login").getText()).contains("Authorization: Bearer");
            asked.sendKeys(reader);
            browser.find(".login button").click();
            browser.waiting().until(d -> d.findElement(By.id("who")).getText().contains("dash"));
            browser.waitForDashboard();
            assertThat(browser.find("h1").getText()).contains("echo");
            assertThat(browser.findAll("[data-action]"))
                    .as("a read token acts on nothing")
                    .isEmpty();

            browser.script("sessionStorage.setItem('flowhost.token', arguments[0]); location.reload();", deployer);
            browser.waiting().until(d -> d.findElement(By.id("who")).getText().contains("ops"));
            browser.waitForDashboard();
            browser.click("[data-action='undeploy']");
            browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();

            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> Http.json(get("/v1/deployments/echo-v1", admin))
                                    .path("state")
                                    .asText(),
                            "retired"::equals);
        }
        // The audit trail is written by its own thread, after the undeploy it records.
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> get("/v1/audit", admin).body(),
                        audit -> audit.contains("\"actor\":\"ops\"") && audit.contains("echo-v1"));
    }

    @Test
    void aCanaryIsRolledBackFromItsPage() {
        var model = TestJars.of(TestServices.Versioned.class);
        flowhost.deploy(model, "?set=version=1&min-instances=1");
        flowhost.deploy(model, "?set=version=2&min-instances=1&canary=50");

        try (var browser = new Browser()) {
            browser.open(flowhost.server().uri(), "/ui");
            browser.waitForDashboard();
            assertThat(browser.find("tr[data-deployment='model-v2']").getText())
                    .as("the rollout's state and share on the list")
                    .contains("canary 50 %")
                    .contains("50 % to model-v2");

            browser.open(flowhost.server().uri(), "/ui/deployments/model-v2");
            browser.waitForDashboard();
            browser.click("[data-action='rollback']");
            browser.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> Http.json(flowhost.http().get("/v1/rollouts/model"))
                                .path("state")
                                .asText(),
                        "rolled_back"::equals);
    }

    private String token(String name, String scope, String by) {
        var request = flowhost.http()
                .request("/v1/tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"" + name + "\", \"scope\": \"" + scope + "\"}"));
        if (by != null) {
            request.header("Authorization", "Bearer " + by);
        }
        var created = flowhost.http().send(request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).path("token").asText();
    }

    private HttpResponse<String> get(String path, String token) {
        return flowhost.http().send(flowhost.http().request(path).GET().header("Authorization", "Bearer " + token));
    }
}
