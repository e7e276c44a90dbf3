package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A service's docs page in a real headless Chromium: the page loads Swagger UI from the gateway itself, shows the echo
 * endpoint with its example filled in, and sends it: the answer shows. The screenshot is kept in target/screenshots
 * (docs/docs-page.png is one of them).
 */
@Tag("e2e")
class DocsPageTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private Browser browser;

    @BeforeEach
    void openBrowser() {
        browser = new Browser();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theDocsPageSendsAnEndpointsExampleAndShowsTheAnswer() {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=1");
        browser.open(flowhost.server().uri(), "/v1/services/echo/docs");
        var wait = browser.waiting();

        var operation =
                wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".opblock-post .opblock-summary")));
        assertThat(browser.driver().getTitle()).isEqualTo("echo · flowhost");
        assertThat(operation.getText()).contains("/v1/services/echo/echo");
        operation.click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".opblock-post button.execute")))
                .click();

        var status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".opblock-post .live-responses-table tbody .response-col_status")));
        assertThat(status.getText()).startsWith("200");
        var body = browser.find(".opblock-post .live-responses-table tbody .response-col_description");
        assertThat(body.getText()).contains("\"hello\"").contains("\"world\"");

        // the screenshot shows the example sent and its answer
        browser.script("arguments[0].scrollIntoView({block: 'center'})", status);
        browser.screenshot("docs-page");
    }
}
