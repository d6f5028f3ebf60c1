package dev.configstore.examples.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.examples.bot.BotSettings;
import dev.configstore.examples.cli.Databases;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as its users use it, in a real browser: one dashboard, one database and one
 * headless chromium for the whole class, a guild of its own per test. "Another process" is a second
 * store opened on the same database, which shares nothing with the dashboard's but the database.
 * A database module's subclass says which database.
 */
@ExtendWith(Browser.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DashboardBrowserTests {

    static final String TOKEN = "test-admin-token-0123456789";

    /** The bound for a change made elsewhere to show in an open page. */
    static final Duration LIVE_WITHIN = Duration.ofSeconds(1);

    /** How long the page may take to render and react otherwise: generous, it is not what is tested. */
    static final Duration RENDER = Duration.ofSeconds(20);

    private ConfigStore dashboardStore;
    private Dashboard dashboard;
    private ConfigStore otherProcess;
    private Settings elsewhere;
    private ChromeDriver browser;

    /** The database, as {@code --db} names it. */
    abstract String db() throws Exception;

    /** Its schema, as {@code --schema} names it. */
    abstract String schema();

    /** A guild id that no other test of the class uses. */
    abstract String guild(int test);

    /**
     * The database's own shell ({@code sqlite3}, {@code psql}), as an operator runs it: the command
     * that runs one statement on the test's database, with configstore's tables unqualified in it.
     */
    abstract List<String> shell(String statement);

    @BeforeAll
    void start() throws Exception {
        Map<String, String> environment = Map.of();
        dashboardStore = Databases.openLive(db(), schema(), environment, "dashboard", Duration.ofMillis(100));
        dashboard = Dashboard.start(
                dashboardStore,
                dashboardStore.settings(BotSettings.schema(environment)),
                TOKEN,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        otherProcess = Databases.openLive(db(), schema(), environment, "bot", Duration.ofMillis(100));
        elsewhere = otherProcess.settings(BotSettings.schema(environment));
        browser = Browser.start();
        browser.get(url("/guilds"));
        assertThat(browser.findElement(By.id("login-message")).getText()).contains("admin token");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("login")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("guilds")));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (otherProcess != null) {
            otherProcess.close();
        }
        if (dashboardStore != null) {
            dashboardStore.close();
        }
    }

    private String url(String path) {
        return dashboard.uri().resolve(path).toString();
    }

    private WebDriverWait waitFor(Duration deadline) {
        return new WebDriverWait(browser, deadline, Duration.ofMillis(20));
    }

    @SuppressWarnings("unchecked")
    private static Setting<String> setting(Settings settings, String key) {
        return (Setting<String>) settings.schema().setting(key).orElseThrow();
    }

    /** Opens a guild's page and waits until its event stream is open. */
    private void openGuild(String guildId) {
        browser.get(url("/guilds/" + guildId));
        waitFor(RENDER)
                .until(driver ->
                        "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-live")));
    }

    private WebElement field(String key) {
        return browser.findElement(By.id("v." + key));
    }

    private String shownValue(String key) {
        return browser.findElement(By.cssSelector("[data-value='" + key + "']")).getText();
    }

    private List<StoredValue> stored(String guildId) {
        return otherProcess.storedSettings().guild(guildId);
    }

    @Test
    void anEditInThePageIsSavedAtomicallyAndSeenByAnotherProcess() throws Exception {
        String guild = guild(1);
        openGuild(guild);
        assertThat(shownValue("prefix")).isEqualTo("!");
        assertThat(browser.findElement(By.cssSelector("[data-origin='prefix']")).getText())
                .isEqualTo("default");
        field("prefix").sendKeys("?");
        field("language").sendKeys("de");
        browser.findElement(By.id("save")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));

        assertThat(elsewhere.get(setting(elsewhere, "prefix"), guild)).contains("?");
        assertThat(elsewhere.get(setting(elsewhere, "language"), guild)).contains("de");
        List<AuditEntry> history = otherProcess.history(HistoryQuery.guild(guild));
        assertThat(history).extracting(AuditEntry::key).containsExactlyInAnyOrder("prefix", "language");
        assertThat(history).extracting(AuditEntry::actor).containsOnly(Dashboard.ACTOR);
        assertThat(shownValue("prefix")).isEqualTo("?");
        assertThat(browser.findElement(By.cssSelector("[data-origin='prefix']")).getText())
                .isEqualTo("stored for the guild");
        assertThat(browser.findElement(By.id("history")).getText())
                .contains(Dashboard.ACTOR)
                .contains("language");
        screenshot();

        // Reset one setting: the other stays.
        browser.findElement(By.cssSelector("button.reset[value='language']")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(elsewhere.get(setting(elsewhere, "language"), guild)).contains("en");
        assertThat(elsewhere.get(setting(elsewhere, "prefix"), guild)).contains("?");

        browser.get(url("/guilds?q=" + guild.substring(10)));
        assertThat(browser.findElement(By.id("guilds")).getText()).contains(guild);
        otherProcess.loggingStore().setLoggingChannelId(guild, "300000000000000001");
        browser.get(url("/guilds?q=" + guild));
        assertThat(browser.findElements(By.cssSelector("#guilds tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#guilds .stored-count")).getText())
                .as("prefix, and the built-in logging channel")
                .isEqualTo("2");
    }

    @Test
    void aChangeByAnotherProcessShowsInTheOpenPageWithinASecondEscaped() throws Exception {
        String guild = guild(2);
        elsewhere.set(setting(elsewhere, "language"), ScopeId.guild(guild), "fr");
        openGuild(guild);
        assertThat(shownValue("language")).isEqualTo("fr");

        // Markup in a value is shown as text, live and when the page is rendered.
        elsewhere.set(setting(elsewhere, "prefix"), ScopeId.guild(guild), "<i>");
        waitFor(LIVE_WITHIN).until(driver -> shownValue("prefix").equals("<i>"));
        assertThat(browser.findElements(By.cssSelector("[data-value='prefix'] i")))
                .isEmpty();
        assertThat(browser.findElement(By.id("changed-elsewhere")).isDisplayed())
                .as("the page says its form is out of date")
                .isTrue();

        elsewhere.reset(setting(elsewhere, "language"), ScopeId.guild(guild));
        waitFor(LIVE_WITHIN).until(driver -> shownValue("language").equals("en"));

        browser.navigate().refresh();
        waitFor(RENDER)
                .until(driver ->
                        "true".equals(driver.findElement(By.tagName("body")).getAttribute("data-live")));
        assertThat(shownValue("prefix")).isEqualTo("<i>");
        assertThat(field("prefix").getAttribute("value")).isEqualTo("<i>");
        assertThat(browser.findElements(By.cssSelector("[data-value='prefix'] i")))
                .isEmpty();
    }

    @Test
    void aChangeMadeInTheDatabasesShellShowsInTheOpenPageWithinASecond() throws Exception {
        String guild = guild(8);
        openGuild(guild);
        assertThat(shownValue("language")).isEqualTo("en");

        Process shell = new ProcessBuilder(shell("INSERT INTO configstore_settings (scope, guild_id, channel_id, key,"
                        + " value) VALUES ('guild', '" + guild + "', '', 'language', 'fr')"))
                .redirectErrorStream(true)
                .start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shell.waitFor()).as(output).isZero();
        waitFor(LIVE_WITHIN).until(driver -> shownValue("language").equals("fr"));
        assertThat(browser.findElement(By.cssSelector("[data-origin='language']"))
                        .getText())
                .isEqualTo("stored for the guild");
    }

    @Test
    void aValueBreakingARuleShowsTheRuleAndWritesNothing() {
        String guild = guild(3);
        openGuild(guild);
        field("prefix").sendKeys("toolong");
        WebElement error = browser.findElement(By.cssSelector("[data-error='prefix']"));
        waitFor(RENDER).until(driver -> !error.getText().isEmpty());
        assertThat(error.getText()).contains("\"prefix\"").contains("toolong").contains("length");
        assertThat(browser.findElement(By.id("save")).isEnabled())
                .as("the page does not save a value it knows is refused")
                .isFalse();

        // The server checks again: a form posted anyway is refused with the rule, and nothing is written.
        field("language").sendKeys("de");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('save').disabled = false;");
        browser.findElement(By.id("save")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("refused")));
        assertThat(browser.findElement(By.cssSelector("[data-error='prefix']")).getText())
                .contains("length");
        assertThat(field("prefix").getAttribute("value")).isEqualTo("toolong");
        assertThat(stored(guild)).isEmpty();
        assertThat(otherProcess.history(HistoryQuery.guild(guild))).isEmpty();
    }

    @Test
    void aRequestWithoutTheTokenIsRefusedWith401AndWritesNothing() throws Exception {
        String guild = guild(4);
        String page = "/guilds/" + guild;
        String form = "v.prefix=%3F&csrf=x";
        Map<String, String> none = Map.of();
        assertThat(http("GET", page, none, "").status()).isEqualTo(401);
        assertThat(http("GET", page + "/values", none, "").status()).isEqualTo(401);
        assertThat(http("GET", "/events", none, "").status()).isEqualTo(401);
        for (Map<String, String> headers : List.of(
                none,
                Map.of("Authorization", "Bearer wrong-token-0123456789"),
                Map.of("Cookie", Access.COOKIE + "=made-up-session"))) {
            Response refused = http("POST", page, headers, form);
            assertThat(refused.status()).as("POST with %s", headers).isEqualTo(401);
            assertThat(refused.body()).contains("nothing was done");
        }
        assertThat(http("POST", "/login", none, "token=wrong").status()).isEqualTo(401);
        assertThat(stored(guild)).isEmpty();

        // With the token, the same form is saved.
        Response allowed = http("POST", page, Map.of("Authorization", "Bearer " + TOKEN), "v.prefix=%3F");
        assertThat(allowed.status()).isEqualTo(303);
        assertThat(stored(guild)).extracting(StoredValue::text).containsExactly("?");
    }

    record Response(int status, String body) {}

    private Response http(String method, String path, Map<String, String> headers, String form) throws Exception {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url(path)).toURL().openConnection();
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(method);
        headers.forEach(connection::setRequestProperty);
        if (method.equals("POST")) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
        connection.disconnect();
        return new Response(status, text);
    }

    @Test
    void aConflictingSaveIsRefusedWithBothValuesShown() {
        String guild = guild(5);
        elsewhere.set(setting(elsewhere, "prefix"), ScopeId.guild(guild), "a");
        openGuild(guild);
        field("prefix").clear();
        field("prefix").sendKeys("b");
        field("language").sendKeys("de");

        elsewhere.set(setting(elsewhere, "prefix"), ScopeId.guild(guild), "c");
        waitFor(RENDER).until(driver -> shownValue("prefix").equals("c"));
        browser.findElement(By.id("save")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("conflict")));

        assertThat(browser.findElement(By.id("conflict-expected")).getText()).isEqualTo("\"a\"");
        assertThat(browser.findElement(By.id("conflict-actual")).getText()).isEqualTo("\"c\"");
        assertThat(field("prefix").getAttribute("value"))
                .as("what was typed is kept")
                .isEqualTo("b");
        assertThat(elsewhere.get(setting(elsewhere, "prefix"), guild)).contains("c");
        assertThat(elsewhere.get(setting(elsewhere, "language"), guild))
                .as("nothing of the refused save")
                .contains("en");

        // Saved again, knowingly, over the current value.
        browser.findElement(By.id("save")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(elsewhere.get(setting(elsewhere, "prefix"), guild)).contains("b");
        assertThat(elsewhere.get(setting(elsewhere, "language"), guild)).contains("de");
    }

    @Test
    void theBuiltInSettingsAreEditedLiveAndCheckedInAFormOfTheirOwn() {
        String guild = guild(6);
        openGuild(guild);
        assertThat(shownValue("silent_first_msg_days")).isEqualTo("7");

        field("silent_first_msg_days").sendKeys("3");
        WebElement error = browser.findElement(By.cssSelector("[data-error='silent_first_msg_days']"));
        waitFor(RENDER).until(driver -> !error.getText().isEmpty());
        assertThat(error.getText()).contains("silent_first_msg_days").contains("3");
        assertThat(browser.findElement(By.id("save-built-in")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("save")).isEnabled())
                .as("the other form is not held up")
                .isTrue();

        field("silent_first_msg_days").clear();
        field("silent_first_msg_days").sendKeys("30");
        field("logging_channel_id").sendKeys("300000000000000006");
        waitFor(RENDER)
                .until(driver -> browser.findElement(By.id("save-built-in")).isEnabled());
        browser.findElement(By.id("save-built-in")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(otherProcess.flaggerStore().getFlaggerConfig(guild).silentDays())
                .isEqualTo(30);
        assertThat(otherProcess.loggingStore().getLoggingChannelId(guild)).contains("300000000000000006");
        assertThat(otherProcess.history(HistoryQuery.guild(guild)))
                .extracting(AuditEntry::actor)
                .containsOnly(Dashboard.ACTOR);

        // Another process's change shows live; a save based on the old value is refused.
        otherProcess.flaggerStore().setSilentFirstMsgDays(guild, 60);
        waitFor(LIVE_WITHIN).until(driver -> shownValue("silent_first_msg_days").equals("60"));
        field("silent_first_msg_days").clear();
        field("silent_first_msg_days").sendKeys("90");
        waitFor(RENDER)
                .until(driver -> browser.findElement(By.id("save-built-in")).isEnabled());
        browser.findElement(By.id("save-built-in")).click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("conflict")));
        assertThat(browser.findElement(By.id("conflict-expected")).getText()).isEqualTo("\"30\"");
        assertThat(browser.findElement(By.id("conflict-actual")).getText()).isEqualTo("\"60\"");
        assertThat(otherProcess.flaggerStore().getFlaggerConfig(guild).silentDays())
                .isEqualTo(60);

        browser.findElement(By.cssSelector("button.reset[value='logging_channel_id']"))
                .click();
        waitFor(RENDER).until(ExpectedConditions.presenceOfElementLocated(By.id("saved")));
        assertThat(otherProcess.loggingStore().getLoggingChannelId(guild)).isEmpty();
        assertThat(otherProcess.flaggerStore().getFlaggerConfig(guild).silentDays())
                .isEqualTo(60);
    }

    @Test
    void theGuildListIsSearchedAndPaged() {
        // 30 guilds of this test's own, with one setting each: PREFIX10 to PREFIX39.
        String prefix = guild(7).charAt(0) + "000000000000007";
        for (int i = 10; i < 40; i++) {
            elsewhere.set(setting(elsewhere, "prefix"), ScopeId.guild(prefix + i), "?");
        }
        browser.get(url("/guilds?q=" + prefix));
        assertThat(browser.findElements(By.cssSelector("#guilds tbody tr"))).hasSize(Pages.PAGE_SIZE);
        assertThat(browser.findElement(By.cssSelector(".count")).getText()).startsWith("30 guilds");
        browser.findElement(By.cssSelector("a[rel='next']")).click();
        waitFor(RENDER)
                .until(driver ->
                        driver.findElement(By.cssSelector(".paging")).getText().startsWith("Page 2 of 2"));
        assertThat(browser.findElements(By.cssSelector("#guilds tbody tr"))).hasSize(30 - Pages.PAGE_SIZE);
        assertThat(browser.findElement(By.id("guilds")).getText()).contains(prefix + 39);
        assertThat(browser.findElements(By.cssSelector("#guilds .stored-count")))
                .extracting(WebElement::getText)
                .containsOnly("1");
    }

    /** The documentation's picture of a guild's page, once it has rendered (target/; copied by hand). */
    private void screenshot() throws Exception {
        Path png = Path.of("target", "dashboard-" + getClass().getSimpleName() + ".png");
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
    }
}
