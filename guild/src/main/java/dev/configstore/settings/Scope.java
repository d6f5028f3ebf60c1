package dev.configstore.settings;

/**
 * Where a setting's value may be stored. A declaration names the scopes it allows; a value
 * stored at any other scope is never served (it is skipped, with the reason).
 */
public enum Scope {
    /** The whole bot: one value for every guild that has none of its own. */
    GLOBAL,
    /** One guild: wins over the global value for that guild. */
    GUILD,
    /** One channel of a guild: wins over the guild's value in that channel. */
    CHANNEL
}
