/**
 * configstore guild: typed per-guild settings for chat bots (the logging channel, the flagger's
 * channel and silent days), validated, with environment defaults and the provenance of every
 * value, over configstore's cached store. What a database module implements to serve them is
 * {@link dev.configstore.guild.GuildSettingsBackend}. Settings an application declares itself, with
 * scopes, rules and provenance, are in {@link dev.configstore.settings}.
 */
module dev.configstore.guild {
    requires transitive dev.configstore;
    requires org.slf4j;

    exports dev.configstore.guild;
    exports dev.configstore.settings;
}
