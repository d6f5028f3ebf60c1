package dev.configstore.examples.dashboard;

import dev.configstore.testkit.RequiresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium}, driven through its {@code chromedriver} by Selenium: headless, with a
 * fresh profile folder under {@code target/}, and with the driver named explicitly so that Selenium
 * downloads nothing. A test class that needs it is skipped, with how to install them, when either
 * is missing, unless {@value #REQUIRE} is set: then it fails.
 */
final class Browser implements ExecutionCondition {

    /** Set (to 1) where the browser tests must run, as CI does. */
    static final String REQUIRE = "CONFIGSTORE_REQUIRE_BROWSER";

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CONFIGSTORE_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER =
            Path.of(System.getenv().getOrDefault("CONFIGSTORE_CHROMEDRIVER", "/usr/bin/chromedriver"));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean required = RequiresServer.Condition.required(REQUIRE, System.getenv(REQUIRE));
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
        }
        String message = "The dashboard's browser tests need chromium (" + CHROMIUM + ") and chromedriver ("
                + CHROMEDRIVER + "); install them with: apt-get install -y chromium chromium-driver";
        if (required) {
            throw new IllegalStateException(message + ". " + REQUIRE + " is set, so this fails instead of skipping.");
        }
        System.err.println("Skipping the dashboard's browser tests. " + message);
        return ConditionEvaluationResult.disabled(message);
    }

    Browser() {}

    /** Starts a headless chromium with a profile folder of its own under {@code target/}. */
    static ChromeDriver start() throws Exception {
        Path profile = Path.of("target", "browser-profiles", UUID.randomUUID().toString())
                .toAbsolutePath();
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1400",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }
}
