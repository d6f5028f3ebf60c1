package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.settings.Origin;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCodecTest {

    private static final String GUILD = "123456789012345678";

    private static final Setting<WelcomeMessage> WELCOME = Setting.of("welcome", JsonCodec.of(WelcomeMessage.class))
            .description("what the bot posts when a member joins")
            .scopes(Scope.GUILD)
            .build();

    @TempDir
    Path folder;

    @Test
    void aRecordRoundTripsThroughItsJsonText() {
        JsonCodec<WelcomeMessage> codec = JsonCodec.of(WelcomeMessage.class);
        WelcomeMessage message = new WelcomeMessage("234567890123456789", "Welcome, {member}!", true);

        String text = codec.encode(message);

        assertThat(text)
                .isEqualTo("{\"channelId\":\"234567890123456789\",\"text\":\"Welcome, {member}!\",\"mention\":true}");
        assertThat(codec.decode(text)).isEqualTo(message);
        assertThat(codec.type()).isEqualTo("json");
    }

    @Test
    void refusesTextThatIsNotExactlyTheRecord() {
        JsonCodec<WelcomeMessage> codec = JsonCodec.of(WelcomeMessage.class);

        assertThatThrownBy(() -> codec.decode("{\"channelId\":\"234567890123456789\",\"text\":\"hi\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a WelcomeMessage in JSON:");
        assertThatThrownBy(() -> codec.decode(
                        "{\"channelId\":\"234567890123456789\",\"text\":\"hi\",\"mention\":true,\"colour\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> codec.decode("{\"channelId\":\"general\",\"text\":\"hi\",\"mention\":true}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channelId");
        assertThatThrownBy(() -> codec.decode("null")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordSettingIsStoredAsJsonAndAHandWrittenBadValueIsSkipped() throws Exception {
        Path file = folder.resolve("bot.db");
        WelcomeMessage message = new WelcomeMessage("234567890123456789", "Hello {member}", false);
        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            Settings settings = store.settings(SettingsSchema.of(Map.of(), WELCOME));
            settings.set(WELCOME, ScopeId.guild(GUILD), message);

            assertThat(settings.get(WELCOME, GUILD)).contains(message);
            assertThatThrownBy(() -> settings.set(WELCOME, ScopeId.global(), message))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE configstore_settings SET value = ? WHERE key = 'welcome'")) {
            update.setString(1, "{\"channelId\":\"234567890123456789\"}");
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        try (SqliteConfigStore store = SqliteConfigStore.open(file)) {
            Resolution<WelcomeMessage> read =
                    store.settings(SettingsSchema.of(Map.of(), WELCOME)).resolve(WELCOME, GUILD);

            assertThat(read.value()).isEmpty();
            assertThat(read.origin()).isEqualTo(Origin.NONE);
            assertThat(read.skipped())
                    .singleElement()
                    .satisfies(skipped -> assertThat(skipped.reason()).contains("WelcomeMessage"));
        }
    }
}
