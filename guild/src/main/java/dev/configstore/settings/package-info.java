/**
 * Settings a bot declares itself: each {@link dev.configstore.settings.Setting} is declared once,
 * as a constant, with its type ({@link dev.configstore.settings.Codec}), its rules ({@link
 * dev.configstore.settings.Rule}), a default, an environment variable and the {@link
 * dev.configstore.settings.Scope scopes} it may be stored at. A {@link
 * dev.configstore.settings.SettingsSchema} checks the declarations as a whole, once, before anything
 * is served; a {@link dev.configstore.settings.GuildSnapshot} resolves a guild's stored values
 * channel → guild → global → environment → default, and says where each value came from and which
 * stored values it skipped because they no longer decode or break a rule.
 *
 * <p>Nothing here reads or writes a database: storage hands in what it holds, as text.
 */
@NullMarked
package dev.configstore.settings;

import org.jspecify.annotations.NullMarked;
