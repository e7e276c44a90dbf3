package io.flowhost.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's, driven by its chromedriver, never one fetched from the network) for the tests of
 * the server's pages; screenshots go to target/screenshots.
 */
final class Browser implements AutoCloseable {

    /** A cold browser on a busy machine. */
    static final Duration LOADED_WITHIN = Duration.ofSeconds(60);

    private final ChromeDriver driver;

    Browser() {
        var options = new ChromeOptions()
                .setBinary(executable("chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1800");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(executable("chromedriver")))
                .build();
        driver = new ChromeDriver(service, options);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens a page of the server. */
    void open(URI server, String path) {
        driver.get(server.resolve(path).toString());
    }

    /**
     * A wait that reads again when the page redrew an element it was reading (a live page replaces its rows as
     * calls arrive), which is the condition not yet settled, not a failure.
     */
    WebDriverWait waiting() {
        var wait = new WebDriverWait(driver, LOADED_WITHIN);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Waits until the dashboard's page is drawn with its data (ui.js marks it). */
    void waitForDashboard() {
        waiting().until(d -> "true".equals(d.findElement(By.id("page")).getDomAttribute("data-ready")));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Clicks the element, found again if the live page redrew it between finding and clicking. */
    void click(String css) {
        waiting().until(d -> {
            find(css).click();
            return true;
        });
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** What the page's console said at level SEVERE since last asked: script errors, refused loads, CSP refusals. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().equals(Level.SEVERE))
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves what the browser shows as target/screenshots/{name}.png. */
    Path screenshot(String name) {
        try {
            var shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            var kept = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(kept.getParent());
            Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
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
}
