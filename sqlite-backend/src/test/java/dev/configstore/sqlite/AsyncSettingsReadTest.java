package dev.configstore.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.Source;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Rule;
import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.Settings;
import dev.configstore.settings.SettingsSchema;
import dev.configstore.testkit.ManualExecutor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous reads of declared settings and of the guild facades, on a SQLite file: a hit
 * completes at once without the executor, a miss reads on it, bad input is refused at once.
 */
class AsyncSettingsReadTest {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";

    private static final Setting<Integer> LEVEL = Setting.integer("level", Rule.range(1, 100))
            .defaultValue(9)
            .scopes(Scope.GLOBAL, Scope.GUILD, Scope.CHANNEL)
            .build();

    private final Path file = TestDatabases.newFile();
    private final SqliteConfigStore store = SqliteConfigStore.builder(file).build();
    private final Settings settings = store.settings(SettingsSchema.of(Map.of(), LEVEL));
    private final ManualExecutor executor = new ManualExecutor();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aSettingsHitCompletesAtOnceWithoutTheExecutor() {
        settings.set(LEVEL, ScopeId.global(), 20);
        settings.set(LEVEL, ScopeId.channel(GUILD, CHANNEL), 40);
        settings.get(LEVEL, GUILD);

        assertThat(settings.getAsync(LEVEL, GUILD, ManualExecutor.NEVER)).isCompletedWithValue(Optional.of(20));
        assertThat(settings.getAsync(LEVEL, GUILD, CHANNEL, ManualExecutor.NEVER))
                .isCompletedWithValue(Optional.of(40));
        assertThat(settings.resolveAsync(LEVEL, GUILD, ManualExecutor.NEVER)
                        .join()
                        .origin())
                .isEqualTo(Origin.GLOBAL);
        assertThat(settings.resolveAsync(LEVEL, GUILD, CHANNEL, ManualExecutor.NEVER)
                        .join()
                        .origin())
                .isEqualTo(Origin.CHANNEL);
        assertThat(settings.resolveGlobalAsync(LEVEL, ManualExecutor.NEVER)
                        .join()
                        .value())
                .contains(20);
        assertThat(settings.snapshotAsync(GUILD, ManualExecutor.NEVER)).isCompletedWithValue(settings.snapshot(GUILD));
        assertThat(settings.resolveAsync(LEVEL, GUILD, ManualExecutor.NEVER).join())
                .as("the remembered resolution, as the blocking read returns it")
                .isSameAs(settings.resolve(LEVEL, GUILD));
    }

    @Test
    void aSettingsMissReadsOnTheExecutor() {
        settings.set(LEVEL, ScopeId.guild(OTHER_GUILD), 30);
        try (SqliteConfigStore other = SqliteConfigStore.builder(file).build()) {
            Settings fresh = other.settings(SettingsSchema.of(Map.of(), LEVEL));

            CompletableFuture<Optional<Integer>> read = fresh.getAsync(LEVEL, OTHER_GUILD, executor);
            CompletableFuture<Optional<Integer>> inChannel = fresh.getAsync(LEVEL, GUILD, CHANNEL, executor);

            assertThat(read).isNotDone();
            assertThat(inChannel).isNotDone();
            executor.runAll();
            assertThat(read).isCompletedWithValue(Optional.of(30));
            assertThat(inChannel).isCompletedWithValue(Optional.of(9));
            assertThat(fresh.getAsync(LEVEL, OTHER_GUILD, ManualExecutor.NEVER)).isCompletedWithValue(Optional.of(30));

            CompletableFuture<dev.configstore.settings.Resolution<Integer>> global =
                    other.settings(SettingsSchema.of(Map.of(), LEVEL)).resolveGlobalAsync(LEVEL, executor);
            executor.runAll();
            assertThat(global.join().origin()).isEqualTo(Origin.DEFAULT);
        }
    }

    @Test
    void badInputIsRefusedAtOnceOnAHitAndOnAMiss() {
        Setting<Integer> undeclared = Setting.integer("undeclared").build();
        settings.get(LEVEL, GUILD);

        assertThatThrownBy(() -> settings.getAsync(undeclared, GUILD, ManualExecutor.NEVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not declared");
        assertThatThrownBy(() -> settings.getAsync(undeclared, OTHER_GUILD, executor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not declared");
        assertThatThrownBy(() -> settings.getAsync(LEVEL, OTHER_GUILD, "general", executor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channelId");
        assertThatThrownBy(() -> settings.getAsync(LEVEL, "guild-1", executor))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guildId");
        assertThat(executor.isIdle()).isTrue();
    }

    @Test
    void theFacadesReadWithoutBlockingTheCaller() {
        store.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        store.flaggerStore().setSilentFirstMsgDays(GUILD, 30);
        store.loggingStore().getLoggingChannelId(GUILD);

        assertThat(store.loggingStore().getLoggingChannelIdAsync(GUILD, ManualExecutor.NEVER))
                .isCompletedWithValue(Optional.of(CHANNEL));
        assertThat(store.flaggerStore().getFlaggerConfigAsync(GUILD, ManualExecutor.NEVER))
                .isCompletedWithValue(store.flaggerStore().getFlaggerConfig(GUILD));

        CompletableFuture<Optional<String>> miss = store.loggingStore().getLoggingChannelIdAsync(OTHER_GUILD, executor);
        CompletableFuture<FlaggerConfig> flaggerMiss =
                store.flaggerStore().getFlaggerConfigAsync(OTHER_GUILD, executor);
        assertThat(miss).isNotDone();
        executor.runAll();
        assertThat(miss).isCompletedWithValue(Optional.empty());
        assertThat(flaggerMiss.join())
                .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
        assertThatThrownBy(() -> store.loggingStore().getLoggingChannelIdAsync("guild-1", executor))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
