/**
 * The {@code configstore} command-line tool an operator uses on a bot's database, and an example
 * Discord bot wired to configstore, with a web dashboard for its settings.
 */
module dev.configstore.examples {
    requires transitive dev.configstore.sqlite;
    requires dev.configstore.postgres;
    requires dev.configstore.mysql;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires java.sql;
    requires jdk.httpserver;
    requires org.slf4j;
    requires static transitive net.dv8tion.jda;

    exports dev.configstore.examples.cli;
    exports dev.configstore.examples.bot;
    exports dev.configstore.examples.dashboard;

    opens dev.configstore.examples.cli to
            info.picocli;
    // Jackson reads and writes the bot's record-valued settings (JsonCodec).
    opens dev.configstore.examples.bot to
            com.fasterxml.jackson.databind;
}
