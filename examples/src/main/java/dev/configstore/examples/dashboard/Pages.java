package dev.configstore.examples.dashboard;

import static dev.configstore.examples.dashboard.Html.escape;

import dev.configstore.guild.BuiltInSettings;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.Snowflakes;
import dev.configstore.jdbc.AuditEntry;
import dev.configstore.jdbc.ConfigStore;
import dev.configstore.jdbc.HistoryQuery;
import dev.configstore.jdbc.StoredValue;
import dev.configstore.settings.ConflictingUpdateException;
import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's pages, rendered on the server. Every value shown is escaped ({@link
 * Html#escape}); the page's script gets data only from attributes and JSON, never from text
 * written into it.
 */
final class Pages {

    /** Guilds per page of the list. */
    static final int PAGE_SIZE = 25;

    /** How many guild ids the list reads at most, of each table. */
    private static final int SEARCHED = 10_000;

    /** How many changes of a guild's history are shown. */
    private static final int HISTORY = 50;

    private final ConfigStore store;
    private final Settings settings;

    Pages(ConfigStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** What happened to the last save, for the guild page. */
    record Outcome(
            Optional<String> saved,
            Map<String, String> typed,
            Map<String, String> problems,
            @Nullable ConflictingUpdateException conflict) {

        static Outcome of(Request request) {
            return new Outcome(Optional.ofNullable(request.parameter("saved")), Map.of(), Map.of(), null);
        }

        static Outcome refused(Map<String, String> typed, Map<String, String> problems) {
            return new Outcome(Optional.empty(), typed, problems, null);
        }

        static Outcome conflict(Map<String, String> typed, ConflictingUpdateException conflict) {
            return new Outcome(Optional.empty(), typed, Map.of(), conflict);
        }
    }

    /** The declared settings the form edits: those that may be stored for a guild. */
    List<Setting<?>> editable() {
        return settings.schema().settings().stream()
                .filter(setting -> setting.allows(Scope.GUILD))
                .collect(Collectors.toList());
    }

    String login(String message) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>configstore dashboard</h1>");
        if (!message.isEmpty()) {
            body.append("<p class=\"problem\" id=\"login-message\">")
                    .append(escape(message))
                    .append("</p>");
        }
        body.append("<form method=\"post\" action=\"/login\" class=\"login\">")
                .append("<label>Admin token <input type=\"password\" name=\"token\" id=\"token\" autofocus"
                        + " autocomplete=\"current-password\"></label> ")
                .append("<button type=\"submit\" id=\"login\">Log in</button></form>");
        return layout("Log in", "", "", body.toString());
    }

    String guilds(String query, long page, String csrf) {
        String search = query.strip();
        // Guilds with declared settings stored, and guilds with built-in ones (table guild_config).
        TreeSet<String> all = new TreeSet<>(Comparator.comparing(BigInteger::new));
        all.addAll(store.storedSettings().guildIds(0, SEARCHED));
        all.addAll(store.guildIds(0, SEARCHED));
        List<String> found = all.stream().filter(id -> id.contains(search)).collect(Collectors.toList());
        long total = found.size();
        int from = (int) Math.min(found.size(), (page - 1) * PAGE_SIZE);
        List<String> ids = found.subList(from, Math.min(found.size(), from + PAGE_SIZE));
        StringBuilder body = new StringBuilder();
        body.append("<h1>Guilds</h1>");
        body.append("<form method=\"get\" action=\"/guilds\" class=\"search\"><input type=\"search\" name=\"q\""
                        + " id=\"search\" placeholder=\"guild id, or part of it\" value=\"")
                .append(escape(search))
                .append("\"> <button type=\"submit\">Search</button></form>");
        if (Snowflakes.isValid(search)) {
            body.append("<p><a href=\"/guilds/")
                    .append(escape(search))
                    .append("\">Open guild ")
                    .append(escape(search))
                    .append("</a></p>");
        }
        body.append("<p class=\"count\">")
                .append(total)
                .append(total == 1 ? " guild has" : " guilds have")
                .append(" settings stored")
                .append(search.isEmpty() ? "" : " matching \"" + escape(search) + "\"")
                .append(".</p>");
        body.append("<table id=\"guilds\"><thead><tr><th>Guild</th><th>Stored settings</th></tr></thead><tbody>");
        for (String id : ids) {
            body.append("<tr><td><a href=\"/guilds/")
                    .append(escape(id))
                    .append("\">")
                    .append(escape(id))
                    .append("</a></td><td class=\"stored-count\">")
                    .append(storedCount(id))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
        long pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        body.append("<p class=\"paging\">Page ").append(page).append(" of ").append(pages);
        String q = search.isEmpty()
                ? ""
                : "&amp;q=" + escape(java.net.URLEncoder.encode(search, java.nio.charset.StandardCharsets.UTF_8));
        if (page > 1) {
            body.append(" <a rel=\"prev\" href=\"/guilds?page=")
                    .append(page - 1)
                    .append(q)
                    .append("\">previous</a>");
        }
        if (page < pages) {
            body.append(" <a rel=\"next\" href=\"/guilds?page=")
                    .append(page + 1)
                    .append(q)
                    .append("\">next</a>");
        }
        body.append("</p>");
        return layout("Guilds", "", csrf, body.toString());
    }

    /** How many settings a guild stores: declared ones at every scope, and built-in ones. */
    private long storedCount(String guildId) {
        GuildSnapshot builtIn = store.guildConfig().snapshot(guildId);
        long count = store.storedSettings().guild(guildId).size();
        for (Setting<?> setting : BuiltInSettings.all()) {
            if (builtIn.resolve(setting).origin() == Origin.GUILD) {
                count++;
            }
        }
        return count;
    }

    /** The texts stored for a guild itself (not its channels), by key, as they are in the table. */
    private Map<String, String> storedForGuild(List<StoredValue> stored) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (StoredValue value : stored) {
            if (value.where().scope() == Scope.GUILD) {
                texts.put(value.key(), value.text());
            }
        }
        return texts;
    }

    String guild(String guildId, String csrf, Outcome outcome) {
        List<StoredValue> stored = store.storedSettings().guild(guildId);
        Map<String, String> guildTexts = storedForGuild(stored);
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"/guilds\">All guilds</a></p>");
        body.append("<h1>Guild <span id=\"guild-id\">").append(escape(guildId)).append("</span></h1>");
        body.append("<p id=\"live\" class=\"live\">Connecting for live updates…</p>");
        body.append("<div id=\"changed-elsewhere\" class=\"problem\" hidden>A value shown below was changed elsewhere"
                + " since this page was loaded; saving will be refused. <a href=\"\">Reload</a> to edit the"
                + " current values.</div>");
        outcome.saved()
                .ifPresent(saved -> body.append("<p class=\"saved\" id=\"saved\">")
                        .append(saved.equals("all") ? "Saved." : "Reset " + escape(saved) + ".")
                        .append("</p>"));
        ConflictingUpdateException conflict = outcome.conflict();
        if (conflict != null) {
            body.append("<div class=\"problem\" id=\"conflict\"><p>Not saved: setting <code>")
                    .append(escape(conflict.key()))
                    .append("</code> was changed elsewhere since this page was loaded. Nothing was written.</p>")
                    .append("<p>This page had: <code id=\"conflict-expected\">")
                    .append(escape(shown(conflict.expected())))
                    .append("</code>; it is now: <code id=\"conflict-actual\">")
                    .append(escape(shown(conflict.actual())))
                    .append("</code>.</p><p>Your values are kept in the form below, against the current ones; save"
                            + " again to replace them.</p></div>");
        }
        if (!outcome.problems().isEmpty()) {
            body.append("<p class=\"problem\" id=\"refused\">Not saved: ")
                    .append(outcome.problems().size())
                    .append(outcome.problems().size() == 1 ? " value breaks" : " values break")
                    .append(" a rule. Nothing was written.</p>");
        }
        body.append("<form method=\"post\" action=\"/guilds/")
                .append(escape(guildId))
                .append("\" id=\"settings-form\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"")
                .append(escape(csrf))
                .append("\">");
        // First in the form, so that Enter in a field saves rather than resets.
        body.append("<p><button type=\"submit\" id=\"save\" name=\"save\" value=\"all\" data-save>Save all</button>"
                + " <span class=\"hint\">An empty field stores nothing for the guild: it then inherits.</span></p>");
        body.append(tableHead("settings"));
        for (Setting<?> setting : editable()) {
            row(
                    setting,
                    settings.resolve(setting, guildId),
                    guildTexts.get(setting.key()),
                    outcome,
                    channelOverrides(stored, setting.key()),
                    body);
        }
        body.append("</tbody></table></form>");
        builtIns(guildId, csrf, outcome, body);
        history(guildId, body);
        return layout("Guild " + guildId, guildId, csrf, body.toString());
    }

    /** The built-in settings' texts stored for a guild, by key, as the facades' table holds them. */
    Map<String, String> storedBuiltIns(String guildId) {
        GuildSettings row = store.guildConfig().store().get(guildId).orElse(GuildSettings.EMPTY);
        Map<String, String> texts = new LinkedHashMap<>();
        for (GuildSetting setting : GuildSetting.values()) {
            text(row, setting).ifPresent(text -> texts.put(setting.column(), text));
        }
        return texts;
    }

    /** A built-in setting's stored value as text, as a form shows it; an unreadable one as it is. */
    static Optional<String> text(GuildSettings row, GuildSetting setting) {
        @Nullable Object value = row.get(setting);
        if (value != null) {
            return Optional.of(value.toString());
        }
        return setting == GuildSetting.SILENT_FIRST_MSG_DAYS ? row.unreadableSilentDays() : Optional.empty();
    }

    private void builtIns(String guildId, String csrf, Outcome outcome, StringBuilder body) {
        GuildSnapshot snapshot = store.guildConfig().snapshot(guildId);
        Map<String, String> stored = storedBuiltIns(guildId);
        body.append("<h2>Built-in settings</h2><p class=\"hint\">Kept in table <code>guild_config</code>, where"
                + " the logging and flagger facades read them; saved together, as one change of that table.</p>");
        body.append("<form method=\"post\" action=\"/guilds/")
                .append(escape(guildId))
                .append("/built-in\" id=\"built-in-form\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .append(escape(csrf))
                .append("\">");
        body.append("<p><button type=\"submit\" id=\"save-built-in\" name=\"save\" value=\"all\" data-save>Save"
                + " built-in settings</button></p>");
        body.append(tableHead("built-in"));
        for (Setting<?> setting : BuiltInSettings.all()) {
            row(setting, snapshot.resolve(setting), stored.get(setting.key()), outcome, "", body);
        }
        body.append("</tbody></table></form>");
    }

    private static String tableHead(String id) {
        return "<table id=\"" + id + "\"><thead><tr><th>Setting</th><th>Rules</th><th>Value</th><th>From</th>"
                + "<th>For this guild</th><th></th></tr></thead><tbody>";
    }

    /** One setting's row of a form: what it is, its value and origin, and its field. */
    private static void row(
            Setting<?> setting,
            Resolution<?> resolution,
            @Nullable String storedText,
            Outcome outcome,
            String overrides,
            StringBuilder body) {
        String key = setting.key();
        String typed = outcome.typed().getOrDefault(key, storedText == null ? "" : storedText);
        @Nullable String problem = outcome.problems().get(key);
        body.append("<tr data-key=\"").append(escape(key)).append("\">");
        body.append("<td><code>").append(escape(key)).append("</code>");
        if (!setting.description().isEmpty()) {
            body.append("<div class=\"description\">")
                    .append(escape(setting.description()))
                    .append("</div>");
        }
        body.append("</td><td class=\"rules\">").append(escape(rules(setting))).append("</td>");
        body.append("<td class=\"value\" data-value=\"")
                .append(escape(key))
                .append("\">")
                .append(escape(shown(setting, resolution)))
                .append("</td><td class=\"origin\" data-origin=\"")
                .append(escape(key))
                .append("\">")
                .append(escape(origin(resolution)))
                .append("</td>");
        body.append("<td><input type=\"text\" name=\"v.")
                .append(escape(key))
                .append("\" id=\"v.")
                .append(escape(key))
                .append("\" data-key=\"")
                .append(escape(key))
                .append("\" value=\"")
                .append(escape(typed))
                .append("\" placeholder=\"(inherits)\"")
                .append(problem == null ? "" : " aria-invalid=\"true\"")
                .append(">");
        if (storedText != null) {
            body.append("<input type=\"hidden\" name=\"e.")
                    .append(escape(key))
                    .append("\" data-expected=\"")
                    .append(escape(key))
                    .append("\" value=\"")
                    .append(escape(storedText))
                    .append("\">");
        } else {
            body.append("<input type=\"hidden\" data-expected=\"")
                    .append(escape(key))
                    .append("\" data-absent=\"true\" value=\"\">");
        }
        body.append("<div class=\"problem\" data-error=\"")
                .append(escape(key))
                .append("\">")
                .append(problem == null ? "" : escape(problem))
                .append("</div>");
        if (!overrides.isEmpty()) {
            body.append("<div class=\"hint\">").append(escape(overrides)).append("</div>");
        }
        body.append("</td><td><button type=\"submit\" name=\"reset\" value=\"")
                .append(escape(key))
                .append("\" class=\"reset\"")
                .append(storedText == null ? " disabled" : "")
                .append(">Reset</button></td></tr>");
    }

    private void history(String guildId, StringBuilder body) {
        List<AuditEntry> entries = store.history(HistoryQuery.guild(guildId).limit(HISTORY));
        body.append("<h2>History</h2>");
        if (entries.isEmpty()) {
            body.append("<p class=\"hint\">No change of this guild is recorded.</p>");
            return;
        }
        body.append("<table id=\"history\"><thead><tr><th>When (UTC)</th><th>Who</th><th>Where</th><th>Setting</th>"
                + "<th>Before</th><th>After</th></tr></thead><tbody>");
        for (AuditEntry entry : entries) {
            String where = entry.scope() == AuditEntry.Scope.CHANNEL ? "channel " + entry.channelId() : "guild";
            body.append("<tr><td>")
                    .append(escape(entry.at().toString()))
                    .append("</td><td>")
                    .append(escape(entry.actor()))
                    .append("</td><td>")
                    .append(escape(where))
                    .append("</td><td><code>")
                    .append(escape(entry.key()))
                    .append("</code></td><td>")
                    .append(escape(shown(entry.before())))
                    .append("</td><td>")
                    .append(escape(shown(entry.after())))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
    }

    /** What the page's script shows when a value changes: by key, the value, its origin, its stored text. */
    Map<String, Map<String, @Nullable String>> values(String guildId) {
        Map<String, String> guildTexts = storedForGuild(store.storedSettings().guild(guildId));
        Map<String, Map<String, @Nullable String>> values = new LinkedHashMap<>();
        for (Setting<?> setting : editable()) {
            values.put(setting.key(), value(setting, settings.resolve(setting, guildId), guildTexts));
        }
        GuildSnapshot builtIn = store.guildConfig().snapshot(guildId);
        Map<String, String> builtInTexts = storedBuiltIns(guildId);
        for (Setting<?> setting : BuiltInSettings.all()) {
            values.put(setting.key(), value(setting, builtIn.resolve(setting), builtInTexts));
        }
        return values;
    }

    private static Map<String, @Nullable String> value(
            Setting<?> setting, Resolution<?> resolution, Map<String, String> stored) {
        Map<String, @Nullable String> value = new LinkedHashMap<>();
        value.put("shown", shown(setting, resolution));
        value.put("origin", origin(resolution));
        value.put("stored", stored.get(setting.key()));
        return value;
    }

    private static String channelOverrides(List<StoredValue> stored, String key) {
        List<String> overrides = new ArrayList<>();
        for (StoredValue value : stored) {
            if (value.where().scope() == Scope.CHANNEL && value.key().equals(key)) {
                overrides.add("channel " + value.where().channelId() + ": " + value.text());
            }
        }
        return overrides.isEmpty() ? "" : "Stored for channels: " + String.join("; ", overrides);
    }

    private static String rules(Setting<?> setting) {
        List<String> rules = new ArrayList<>(setting.ruleTexts());
        rules.add(0, setting.codec().type());
        return String.join("; ", rules);
    }

    @SuppressWarnings("unchecked")
    private static String shown(Setting<?> setting, Resolution<?> resolution) {
        Setting<Object> any = (Setting<Object>) setting;
        String value = resolution.value().map(v -> any.codec().encode(v)).orElse("(none)");
        if (resolution.hasSkipped()) {
            value += resolution.skipped().stream()
                    .map(skipped ->
                            " [skipped invalid " + skipped.scope().name().toLowerCase(Locale.ROOT) + " value "
                                    + skipped.text() + ": " + skipped.reason() + "]")
                    .collect(Collectors.joining());
        }
        return value;
    }

    private static String shown(Optional<String> text) {
        return text.map(t -> "\"" + t + "\"").orElse("(nothing stored)");
    }

    private static String origin(Resolution<?> resolution) {
        Origin origin = resolution.origin();
        return switch (origin) {
            case CHANNEL -> "stored for the channel";
            case GUILD -> "stored for the guild";
            case GLOBAL -> "stored for the whole bot";
            case ENVIRONMENT -> "environment";
            case DEFAULT -> "default";
            case NONE -> "not set";
        };
    }

    private static String layout(String title, String guildId, String csrf, String body) {
        StringBuilder page = new StringBuilder(body.length() + 1024);
        page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append(" · configstore</title><link rel=\"stylesheet\" href=\"/dashboard.css\">")
                .append("<script src=\"/dashboard.js\" defer></script></head><body data-guild=\"")
                .append(escape(guildId))
                .append("\">");
        if (!csrf.isEmpty()) {
            page.append("<nav><a href=\"/guilds\">Guilds</a><form method=\"post\" action=\"/logout\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"")
                    .append(escape(csrf))
                    .append("\"><button type=\"submit\">Log out</button></form></nav>");
        }
        page.append("<main>").append(body).append("</main></body></html>");
        return page.toString();
    }

    static final String STYLE = """
            body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
            nav { display: flex; gap: 1em; align-items: center; padding: .6em 1.5em; background: #243447; }
            nav a { color: #fff; font-weight: 600; text-decoration: none; }
            nav form { margin-left: auto; }
            main { padding: 1em 1.5em; max-width: 1200px; }
            table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 1.5em; }
            th, td { border-bottom: 1px solid #dde1e7; padding: .45em .6em; text-align: left; vertical-align: top; }
            th { background: #eef1f5; font-weight: 600; }
            .description, .hint { color: #5b6573; font-size: 12px; }
            .rules { font-size: 12px; color: #36404d; }
            .origin { font-size: 12px; white-space: nowrap; }
            .problem { color: #a4161a; }
            .problem:empty { display: none; }
            div.problem, p.problem { background: #fdecea; border: 1px solid #f5c2c0; padding: .4em .7em; }
            .saved { background: #e7f6ec; border: 1px solid #b5e0c2; padding: .4em .7em; }
            .live { font-size: 12px; color: #5b6573; }
            .live.on::before { content: "● "; color: #2f9e44; }
            .changed { background: #fff4d6; transition: background .3s; }
            input[type=text] { width: 14em; }
            input[aria-invalid=true] { border-color: #a4161a; outline-color: #a4161a; }
            """;

    static final String SCRIPT = """
            'use strict';
            // Live values: the server sends a guild's id when its settings change; this page then
            // reads its values again. Data comes from JSON and attributes only, and is shown with
            // textContent, so nothing is ever parsed as HTML.
            (function () {
              const guild = document.body.dataset.guild;
              if (!guild) { return; }
              const live = document.getElementById('live');
              const changedNotice = document.getElementById('changed-elsewhere');
              const byKey = (attribute, key) => document.querySelector('[' + attribute + '="' + CSS.escape(key) + '"]');

              async function refresh() {
                const response = await fetch('/guilds/' + encodeURIComponent(guild) + '/values',
                  { credentials: 'same-origin', cache: 'no-store' });
                if (!response.ok) { return; }
                const values = await response.json();
                let changedElsewhere = false;
                for (const [key, value] of Object.entries(values)) {
                  const cell = byKey('data-value', key);
                  const origin = byKey('data-origin', key);
                  if (cell && cell.textContent !== value.shown) {
                    cell.textContent = value.shown;
                    cell.classList.add('changed');
                  }
                  if (origin) { origin.textContent = value.origin; }
                  const expected = byKey('data-expected', key);
                  if (expected) {
                    const had = expected.dataset.absent === 'true' ? null : expected.value;
                    if (had !== value.stored) { changedElsewhere = true; }
                  }
                }
                if (changedNotice) { changedNotice.hidden = !changedElsewhere; }
                document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || '0') + 1);
              }

              const events = new EventSource('/events');
              events.addEventListener('open', () => {
                live.textContent = 'Live: values change here as soon as they change anywhere.';
                live.classList.add('on');
                document.body.dataset.live = 'true';
              });
              events.onmessage = (event) => {
                if (event.data === guild || event.data === '' || event.data === '*') { refresh(); }
              };
              events.onerror = () => { live.classList.remove('on'); live.textContent = 'Reconnecting…'; };

              // The rules are checked here as they are typed, by the server's own check, and again on saving.
              const errors = new Map();
              function updateSave(form) {
                const button = form.querySelector('button[data-save]');
                const fields = [...form.querySelectorAll('input[data-key]')].map((field) => field.dataset.key);
                if (button) { button.disabled = fields.some((key) => errors.get(key)); }
              }
              for (const input of document.querySelectorAll('input[data-key]')) {
                let timer;
                input.addEventListener('input', () => {
                  clearTimeout(timer);
                  timer = setTimeout(async () => {
                    const key = input.dataset.key;
                    const response = await fetch('/guilds/' + encodeURIComponent(guild) + '/check?key='
                      + encodeURIComponent(key) + '&text=' + encodeURIComponent(input.value),
                      { credentials: 'same-origin', cache: 'no-store' });
                    if (!response.ok) { return; }
                    const result = await response.json();
                    const error = byKey('data-error', key);
                    error.textContent = result.error || '';
                    input.setAttribute('aria-invalid', result.error ? 'true' : 'false');
                    errors.set(key, result.error);
                    updateSave(input.form);
                  }, 120);
                });
              }
            })();
            """;
}
