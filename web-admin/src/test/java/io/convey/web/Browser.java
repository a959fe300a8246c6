package io.convey.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Selenium, with the system chromedriver (so Selenium Manager never
 * downloads anything), a laptop-sized window and screenshots saved under target/screenshots. It trusts the
 * appliance's self-signed certificate the way an operator accepts it: that one key, and no other certificate error.
 */
public final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final WebDriverWait wait;
    /**
     * Chromium's TMPDIR for this browser: Chromium leaves its singleton-socket directory behind when chromedriver
     * ends it, and the suites open dozens of browsers a run; one directory per browser, removed on close.
     */
    private final Path scratch;

    /** A browser that accepts exactly the key whose SPKI hash (base64 of SHA-256) is given, as Chromium names keys. */
    public Browser(String trustedSpkiSha256) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1440,900", "--lang=en-GB",
                // Chromium's way to accept one certificate by the SHA-256 of its public key (SPKI), not a blanket
                // --ignore-certificate-errors; it applies with a profile directory, which chromedriver always passes
                "--ignore-certificate-errors-spki-list=" + trustedSpkiSha256);
        try {
            this.scratch = Files.createTempDirectory("convey-browser");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
                .withEnvironment(Map.of("TMPDIR", scratch.toString())).build();
        this.driver = new ChromeDriver(service, options);
        // the page re-renders live cells every second: an element read while being replaced is read again
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.ignoring(StaleElementReferenceException.class);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits until the condition holds (a non-null, non-false answer) and returns the answer. */
    public <T> T await(Function<WebDriver, T> condition) {
        return await(() -> "condition", condition);
    }

    /** Waits like {@link #await(Function)}; a timeout names what was awaited. */
    public <T> T await(Supplier<String> what, Function<WebDriver, T> condition) {
        return wait.withMessage(what).until(condition);
    }

    /** Waits up to the given time (for what the appliance does on its own schedule, such as ending a session). */
    public <T> T await(Duration timeout, Supplier<String> what, Function<WebDriver, T> condition) {
        WebDriverWait longer = new WebDriverWait(driver, timeout);
        longer.ignoring(StaleElementReferenceException.class);
        return longer.withMessage(what).until(condition);
    }

    public WebElement find(String css) {
        return await(() -> "a visible " + css, d -> d.findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /**
     * Replaces a field's text the way an operator does: select all, then type, with the focus in the field
     * throughout. The page's live refresh writes the running value back into a field that is not focused and has no
     * pending edit; WebDriver's clear() empties the field and then takes the focus away, so a refresh between clear()
     * and sendKeys() put the old weight back and the typing went after it ("13" for "3").
     */
    public static void replaceText(WebElement field, String text) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE, text);
    }

    /** Replaces the text of the form's field of that name, as {@link #replaceText(WebElement, String)}. */
    public static void replaceText(WebElement form, String name, String text) {
        replaceText(form.findElement(By.name(name)), text);
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element has text containing the given words. */
    public WebElement awaitText(String css, String text) {
        return await(() -> css + " containing \"" + text + "\" (at the end: " + texts(css) + ")", d -> d.findElements(By.cssSelector(css))
                .stream().filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    /** Waits until the element's text is exactly the given text. */
    public WebElement awaitExactText(String css, String text) {
        return await(() -> css + " reading \"" + text + "\" (at the end: " + texts(css) + ")", d -> d.findElements(By.cssSelector(css))
                .stream().filter(e -> e.getText().strip().equals(text)).findFirst().orElse(null));
    }

    private String texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList().toString();
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Runs an async script: its last argument is the callback that ends it with a value. */
    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Opens a new tab on the URL (same profile, so the same cookies) and answers its window handle. */
    public String newTab(String url) {
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(url);
        return driver.getWindowHandle();
    }

    /** Makes the tab or window with that handle the one commands go to. */
    public void switchTo(String handle) {
        driver.switchTo().window(handle);
    }

    /** Saves a screenshot of the page as target/screenshots/{name}.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary directory fails no test
            }
        }
    }
}
