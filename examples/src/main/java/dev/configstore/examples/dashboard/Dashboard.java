package dev.configstore.examples.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.configstore.StoreException;
import dev.configstore.guild.BuiltInSettings;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.Actor;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingSubscription;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsUpdate;
import dev.configstore.spi.ChangeListener;
import dev.configstore.spi.ChangeSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web dashboard for a bot's declared settings, served over HTTP by the JDK's server: the guilds
 * that have settings stored, and for each guild every setting with its value and where it comes
 * from, its rules, an edit form saved as one atomic and conditional update, and the guild's audit
 * history. An open page follows changes made by any process within the store's change-feed
 * interval, over server-sent events.
 *
 * <p>Every request needs the admin token (the login form, then a session cookie that is {@code
 * HttpOnly} and {@code SameSite=Strict}, or an {@code Authorization: Bearer} header); every form
 * post also needs its session's CSRF token. Saves are recorded in the audit trail as made by
 * {@value #ACTOR}.
 */
public final class Dashboard implements AutoCloseable {

    /** The environment variable that holds the admin token. */
    public static final String TOKEN_VARIABLE = "CONFIGSTORE_DASHBOARD_TOKEN";

    /** Who the dashboard's changes are recorded as in the audit trail. */
    public static final String ACTOR = "dashboard:admin";

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.dashboard");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConfigStore store;
    private final Settings settings;
    private final Access access;
    private final Live live = new Live();
    private final Pages pages;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    private Dashboard(ConfigStore store, Settings settings, Access access, HttpServer server) {
        this.store = store;
        this.settings = settings;
        this.access = access;
        this.pages = new Pages(store, settings);
        this.server = server;
        AtomicInteger threads = new AtomicInteger();
        // Each open page holds a thread for its event stream.
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "configstore-dashboard-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts a dashboard for {@code settings}, the bot's declared settings of {@code store}.
     *
     * @param store the store, with its change feed on (its interval is how soon open pages see
     *     other processes' changes)
     * @param settings the declared settings to show and edit, from {@code store}
     * @param token the admin token
     * @param address where to listen; {@code 127.0.0.1} keeps it to this machine
     * @return the running dashboard, to close
     * @throws IllegalArgumentException if the token is missing or shorter than 16 characters; the
     *     message says what to do
     * @throws IOException if the address cannot be bound
     */
    public static Dashboard start(
            ConfigStore store, Settings settings, @Nullable String token, InetSocketAddress address)
            throws IOException {
        Access access = Access.of(token);
        HttpServer server = HttpServer.create(address, 0);
        Dashboard dashboard = new Dashboard(store, settings, access, server);
        dashboard.listen();
        server.createContext("/", dashboard::handle);
        server.setExecutor(dashboard.executor);
        server.start();
        log.info("dashboard: serving {} on {}", store.name(), dashboard.uri());
        return dashboard;
    }

    private void listen() {
        ChangeListener<String> listener = new ChangeListener<>() {
            @Override
            public void keyChanged(String guildId) {
                live.changed(guildId);
            }

            @Override
            public void allChanged() {
                live.changed("*");
            }
        };
        ChangeSubscription others = store.watchSettingsChanges(listener);
        subscriptions.add(others::cancel);
        ChangeSubscription builtIn = store.watchGuildChanges(listener);
        subscriptions.add(builtIn::cancel);
        for (Setting<?> setting : settings.schema().settings()) {
            SettingSubscription own = settings.onChange(
                    setting, change -> live.changed(change.where().guildId()));
            subscriptions.add(own);
        }
    }

    /**
     * Returns where the dashboard is served.
     *
     * @return for example {@code http://127.0.0.1:8080/}
     */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** Stops serving: ends the open pages' event streams and the server. The store stays open. */
    @Override
    public void close() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("dashboard: stopping a change listener failed: {}", e.toString());
            }
        }
        live.close();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Request request = Request.read(exchange);
            route(request);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, "text/plain", "Bad request: " + e.getMessage());
        } catch (StoreException e) {
            log.warn("dashboard: {}", e.getMessage());
            send(exchange, 503, "text/plain", "The database failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("dashboard: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            send(exchange, 500, "text/plain", "Internal error: " + e);
        } finally {
            exchange.close();
        }
    }

    private void route(Request request) throws IOException {
        String path = request.path;
        if (path.equals("/dashboard.js")) {
            send(request.exchange, 200, "text/javascript", Pages.SCRIPT);
            return;
        }
        if (path.equals("/dashboard.css")) {
            send(request.exchange, 200, "text/css", Pages.STYLE);
            return;
        }
        if (path.equals("/login")) {
            login(request);
            return;
        }
        boolean byHeader = access.isToken(request.bearer());
        String session = request.session();
        String csrf = access.csrf(session);
        if (!byHeader && csrf == null) {
            // Nothing is read or written without the token.
            if (request.method.equals("GET") && !path.equals("/events")) {
                sendHtml(request.exchange, 401, pages.login("Give the admin token to continue."));
            } else {
                send(
                        request.exchange,
                        401,
                        "text/plain",
                        "401: the admin token is missing or wrong; nothing was done.");
            }
            return;
        }
        if (request.method.equals("POST") && !byHeader && !access.csrfMatches(session, request.parameter("csrf"))) {
            send(
                    request.exchange,
                    403,
                    "text/plain",
                    "403: the form's CSRF token is missing or wrong; nothing was done."
                            + " Reload the page and try again.");
            return;
        }
        String pageCsrf = csrf == null ? "" : csrf;
        if (path.equals("/") || path.equals("/guilds")) {
            if (!request.method.equals("GET")) {
                send(request.exchange, 405, "text/plain", "405: use GET");
                return;
            }
            sendHtml(
                    request.exchange,
                    200,
                    pages.guilds(request.parameter("q", ""), page(request.parameter("page", "1")), pageCsrf));
            return;
        }
        if (path.equals("/events")) {
            live.serve(request.exchange);
            return;
        }
        if (path.equals("/logout") && request.method.equals("POST")) {
            access.endSession(session);
            request.exchange
                    .getResponseHeaders()
                    .add("Set-Cookie", Access.COOKIE + "=; Max-Age=0; Path=/; HttpOnly;" + " SameSite=Strict");
            redirect(request.exchange, "/login");
            return;
        }
        if (path.startsWith("/guilds/")) {
            String[] parts = path.substring("/guilds/".length()).split("/", -1);
            String guildId = Snowflakes.requireValid(parts[0], "guildId");
            if (parts.length == 1 && request.method.equals("GET")) {
                sendHtml(request.exchange, 200, pages.guild(guildId, pageCsrf, Pages.Outcome.of(request)));
                return;
            }
            if (parts.length == 1 && request.method.equals("POST")) {
                save(request, guildId, pageCsrf);
                return;
            }
            if (parts.length == 2 && parts[1].equals("built-in") && request.method.equals("POST")) {
                saveBuiltIns(request, guildId, pageCsrf);
                return;
            }
            if (parts.length == 2 && parts[1].equals("values") && request.method.equals("GET")) {
                sendJson(request.exchange, pages.values(guildId));
                return;
            }
            if (parts.length == 2 && parts[1].equals("check") && request.method.equals("GET")) {
                sendJson(request.exchange, check(request.parameter("key", ""), request.parameter("text", "")));
                return;
            }
        }
        send(request.exchange, 404, "text/plain", "404: no such page");
    }

    private static long page(String text) {
        try {
            return Math.max(1, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page must be a number, got \"" + text + "\"", e);
        }
    }

    private void login(Request request) throws IOException {
        if (request.method.equals("POST")) {
            if (!access.isToken(request.parameter("token"))) {
                log.warn("dashboard: a login with a wrong token was refused");
                sendHtml(request.exchange, 401, pages.login("That is not the admin token."));
                return;
            }
            request.exchange
                    .getResponseHeaders()
                    .add(
                            "Set-Cookie",
                            Access.COOKIE + "=" + access.newSession() + "; Path=/; HttpOnly; SameSite=Strict");
            redirect(request.exchange, "/guilds");
            return;
        }
        sendHtml(request.exchange, 200, pages.login(""));
    }

    /** The rule check the page runs as the user types: the same as the save's. */
    private Map<String, @Nullable String> check(String key, String text) {
        Setting<?> setting = settings.schema()
                .setting(key)
                .or(() -> builtIn(key).map(GuildSetting::setting))
                .orElseThrow(() -> new IllegalArgumentException("no setting \"" + key + "\" is declared"));
        Map<String, @Nullable String> result = new LinkedHashMap<>();
        result.put("error", problem(setting, text));
        return result;
    }

    private static @Nullable String problem(Setting<?> setting, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            setting.decode(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * What a posted form asks of one setting.
     *
     * @param setting the setting
     * @param expected the text stored when the page was loaded, or empty if none was
     * @param changed whether the form changes it
     * @param text the text to store, or empty to reset
     */
    private record Edit(Setting<?> setting, Optional<String> expected, boolean changed, Optional<String> text) {}

    /**
     * Reads a posted form's fields for {@code fields}: with a {@code reset} parameter, only that
     * setting is reset; otherwise each field that differs from the value the page was loaded with
     * is changed (an empty one reset). Typed texts and broken rules are collected for the page.
     */
    private static List<Edit> edits(
            Request request, List<Setting<?>> fields, Map<String, String> typed, Map<String, String> problems) {
        @Nullable String reset = request.parameter("reset");
        List<Edit> edits = new ArrayList<>();
        for (Setting<?> setting : fields) {
            String key = setting.key();
            Optional<String> expected = Optional.ofNullable(request.parameter("e." + key));
            String text = request.parameter("v." + key, "");
            typed.put(key, text);
            if (reset != null) {
                edits.add(new Edit(setting, expected, reset.equals(key), Optional.empty()));
            } else if (text.isEmpty()) {
                edits.add(new Edit(setting, expected, expected.isPresent(), Optional.empty()));
            } else {
                boolean changed = !expected.equals(Optional.of(text));
                @Nullable String problem = changed ? problem(setting, text) : null;
                if (problem != null) {
                    problems.put(key, problem);
                }
                edits.add(new Edit(setting, expected, changed, Optional.of(text)));
            }
        }
        return edits;
    }

    /** Where a save goes after it succeeded: the page, saying what was saved. */
    private static String saved(Request request, String guildId) {
        @Nullable String reset = request.parameter("reset");
        return "/guilds/" + guildId + "?saved=" + (reset == null ? "all" : reset);
    }

    /**
     * Saves the declared settings' form as one update that expects every value the page was
     * loaded with to be still stored (with a reset, the one value reset).
     */
    private void save(Request request, String guildId, String csrf) throws IOException {
        ScopeId where = ScopeId.guild(guildId);
        boolean resetOne = request.parameter("reset") != null;
        Map<String, String> typed = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        SettingsUpdate update = new SettingsUpdate();
        for (Edit edit : edits(request, pages.editable(), typed, problems)) {
            if (!resetOne || edit.changed()) {
                update.expect(edit.setting(), where, edit.expected());
            }
            if (edit.changed() && problems.isEmpty()) {
                if (edit.text().isPresent()) {
                    set(update, edit.setting(), where, edit.text().get());
                } else {
                    update.reset(edit.setting(), where);
                }
            }
        }
        if (!problems.isEmpty()) {
            sendHtml(request.exchange, 422, pages.guild(guildId, csrf, Pages.Outcome.refused(typed, problems)));
            return;
        }
        try {
            Actor.run(ACTOR, () -> settings.update(guildId, update));
        } catch (ConflictingUpdateException conflict) {
            sendHtml(request.exchange, 409, pages.guild(guildId, csrf, Pages.Outcome.conflict(typed, conflict)));
            return;
        }
        redirect(request.exchange, saved(request, guildId));
    }

    /**
     * Saves the built-in settings' form as one change of the guild's row in {@code guild_config},
     * in one transaction that first reads the row and refuses the change if a value the page was
     * loaded with is no longer the one stored.
     */
    private void saveBuiltIns(Request request, String guildId, String csrf) throws IOException {
        boolean resetOne = request.parameter("reset") != null;
        Map<String, String> typed = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        List<Edit> edits = edits(request, BuiltInSettings.all(), typed, problems);
        if (!problems.isEmpty()) {
            sendHtml(request.exchange, 422, pages.guild(guildId, csrf, Pages.Outcome.refused(typed, problems)));
            return;
        }
        try {
            Actor.run(
                    ACTOR,
                    () -> store.guildConfig().store().inTransaction(row -> {
                        GuildSettings current = row.get(guildId).orElse(GuildSettings.EMPTY);
                        GuildSettings next = current;
                        for (Edit edit : edits) {
                            GuildSetting setting = builtIn(edit.setting().key()).orElseThrow();
                            Optional<String> stored = Pages.text(current, setting);
                            if ((!resetOne || edit.changed()) && !stored.equals(edit.expected())) {
                                throw new ConflictingUpdateException(
                                        setting.column(), ScopeId.guild(guildId), edit.expected(), stored);
                            }
                            if (edit.changed()) {
                                next = next.with(
                                        setting,
                                        edit.text()
                                                .map(text -> (Object)
                                                        setting.setting().decode(text))
                                                .orElse(null));
                            }
                        }
                        if (!next.equals(current)) {
                            row.put(guildId, next);
                        }
                        return next;
                    }));
        } catch (ConflictingUpdateException conflict) {
            sendHtml(request.exchange, 409, pages.guild(guildId, csrf, Pages.Outcome.conflict(typed, conflict)));
            return;
        }
        redirect(request.exchange, saved(request, guildId));
    }

    private static Optional<GuildSetting> builtIn(String key) {
        for (GuildSetting setting : GuildSetting.values()) {
            if (setting.column().equals(key)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    private static <T> void set(SettingsUpdate update, Setting<T> setting, ScopeId where, String text) {
        update.set(setting, where, setting.decode(text));
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
    }

    private static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
        send(exchange, status, "text/html", html);
    }

    private static void sendJson(HttpExchange exchange, Object value) throws IOException {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
        send(exchange, 200, "application/json", json);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type + "; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        // Scripts and styles come only from the dashboard's own files: no inline script runs.
        headers.set(
                "Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
