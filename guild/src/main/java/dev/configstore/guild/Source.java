package dev.configstore.guild;

import dev.configstore.settings.Origin;

/** Where a resolved setting came from, so that an operator can tell why it has its value. */
public enum Source {
    /** Stored for this guild in the database; it wins over everything else. */
    DATABASE,
    /** Not stored for the guild; taken from the bot's environment (its configured defaults). */
    ENVIRONMENT,
    /** Neither stored nor configured; the built-in default. */
    DEFAULT;

    /** The source of a value a declared setting resolved from {@code origin}. */
    static Source of(Origin origin) {
        return switch (origin) {
            case CHANNEL, GUILD, GLOBAL -> DATABASE;
            case ENVIRONMENT -> ENVIRONMENT;
            case DEFAULT, NONE -> DEFAULT;
        };
    }
}
