package dev.configstore.guild;

/** Where a resolved setting came from, so that an operator can tell why it has its value. */
public enum Source {
    /** Stored for this guild in the database; it wins over everything else. */
    DATABASE,
    /** Not stored for the guild; taken from the bot's environment (its configured defaults). */
    ENVIRONMENT,
    /** Neither stored nor configured; the built-in default. */
    DEFAULT
}
