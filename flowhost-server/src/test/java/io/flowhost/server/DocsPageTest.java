package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A service's docs page in a real headless Chromium (Debian's, driven by its chromedriver): the page loads Swagger UI
 * from the gateway itself, shows the echo endpoint with its example filled in, and sends it: the answer shows. The
 * screenshot is kept in target/screenshots (docs/docs-page.png is one of them).
 */
@Tag("e2e")
class DocsPageTest {

    private static final Duration LOADED_WITHIN = Duration.ofSeconds(60); // a cold browser on a busy machine

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        var options = new ChromeOptions()
                .setBinary(executable("chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1800");
        // the driver Debian installed, named here so that Selenium never looks for one on the network
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("chromedriver")))
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String executable(String name) {
        for (var dir : System.getenv("PATH").split(File.pathSeparator)) {
            var file = Path.of(dir, name);
            if (Files.isExecutable(file)) {
                return file.toString();
            }
        }
        throw new IllegalStateException(name + " is not on the PATH: bin/ensure-test-tools.sh installs Debian's"
                + " chromium and chromium-driver (./flowhost test runs it)");
    }

    @Test
    void theDocsPageSendsAnEndpointsExampleAndShowsTheAnswer() throws IOException {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=1");
        browser.get(flowhost.server().uri().resolve("/v1/services/echo/docs").toString());
        var wait = new WebDriverWait(browser, LOADED_WITHIN);

        var operation =
                wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".opblock-post .opblock-summary")));
        assertThat(browser.getTitle()).isEqualTo("echo · flowhost");
        assertThat(operation.getText()).contains("/v1/services/echo/echo");
        operation.click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".opblock-post button.execute")))
                .click();

        var status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".opblock-post .live-responses-table tbody .response-col_status")));
        assertThat(status.getText()).startsWith("200");
        var body = browser.findElement(
                By.cssSelector(".opblock-post .live-responses-table tbody .response-col_description"));
        assertThat(body.getText()).contains("\"hello\"").contains("\"world\"");

        // the screenshot shows the example sent and its answer
        ((ChromeDriver) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", status);
        var shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        var kept = Path.of("target", "screenshots", "docs-page.png");
        Files.createDirectories(kept.getParent());
        Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
    }
}
