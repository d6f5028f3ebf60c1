package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettings;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.spi.Backend;
import dev.configstore.spi.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GuildSettingsBackend} must do, on top of the {@link BackendContractTest} it
 * also passes. A backend module extends this class and implements {@link #createGuildBackend()}.
 */
public abstract class GuildSettingsBackendContractTest extends BackendContractTest<String, GuildSettings> {

    /** Creates the test; JUnit calls this. */
    protected GuildSettingsBackendContractTest() {}

    /**
     * Creates an empty backend that no other test uses.
     *
     * @return a new backend
     * @throws Exception if it cannot be created
     */
    protected abstract GuildSettingsBackend createGuildBackend() throws Exception;

    @Override
    public final Backend<String, GuildSettings> createBackend() throws Exception {
        return createGuildBackend();
    }

    @Override
    public String key(int i) {
        return Long.toString(100_000_000_000_000_000L + i);
    }

    @Override
    public GuildSettings value(int i) {
        return new GuildSettings(
                Optional.of(Long.toString(200_000_000_000_000_000L + i)),
                i % 2 == 0 ? Optional.empty() : Optional.of(Long.toString(300_000_000_000_000_000L + i)),
                i % 3 == 0 ? OptionalInt.empty() : OptionalInt.of(7 + i % 359));
    }

    private GuildSettingsBackend guilds() {
        return (GuildSettingsBackend) backend;
    }

    private Optional<GuildSettings> settings(String guildId) {
        return backend.read(guildId).map(Versioned::value);
    }

    @Test
    void settingOneSettingOfANewGuildCreatesItWithOnlyThatSetting() {
        long version = guilds().writeSetting(key(0), GuildSetting.LOGGING_CHANNEL_ID, "42");

        assertThat(version).isPositive();
        assertThat(backend.read(key(0)))
                .contains(new Versioned<>(GuildSettings.EMPTY.with(GuildSetting.LOGGING_CHANNEL_ID, "42"), version));
    }

    @Test
    void settingOneSettingLeavesTheOthersAsTheyWere() {
        backend.write(key(0), value(1));

        guilds().writeSetting(key(0), GuildSetting.SILENT_FIRST_MSG_DAYS, 30);

        assertThat(settings(key(0))).contains(value(1).with(GuildSetting.SILENT_FIRST_MSG_DAYS, 30));
    }

    @Test
    void clearingASettingLeavesTheOthersAndClearingTheLastOneLeavesNothing() {
        guilds().writeSetting(key(0), GuildSetting.LOGGING_CHANNEL_ID, "1");
        guilds().writeSetting(key(0), GuildSetting.FLAGS_CHANNEL_ID, "2");

        guilds().writeSetting(key(0), GuildSetting.LOGGING_CHANNEL_ID, null);
        assertThat(settings(key(0))).contains(GuildSettings.EMPTY.with(GuildSetting.FLAGS_CHANNEL_ID, "2"));

        guilds().writeSetting(key(0), GuildSetting.FLAGS_CHANNEL_ID, null);
        assertThat(settings(key(0))).isEmpty();
    }

    @Test
    void versionsIncreaseAcrossSettingChangesWritesAndDeletes() {
        List<Long> versions = new ArrayList<>();
        versions.add(guilds().writeSetting(key(0), GuildSetting.LOGGING_CHANNEL_ID, "1"));
        versions.add(backend.write(key(0), value(2)));
        versions.add(guilds().writeSetting(key(0), GuildSetting.SILENT_FIRST_MSG_DAYS, 8));
        versions.add(backend.delete(key(0)));
        versions.add(guilds().writeSetting(key(0), GuildSetting.FLAGS_CHANNEL_ID, "3"));
        versions.add(guilds().writeSetting(key(0), GuildSetting.FLAGS_CHANNEL_ID, null));
        versions.add(guilds().writeSetting(key(0), GuildSetting.FLAGS_CHANNEL_ID, "4"));

        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(backend.read(key(0)).map(Versioned::version)).contains(versions.get(6));
    }

    @Test
    void aValueOfTheWrongTypeIsRejectedAndNothingIsWritten() {
        assertThatThrownBy(() -> guilds().writeSetting(key(0), GuildSetting.SILENT_FIRST_MSG_DAYS, "30"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guilds().writeSetting(key(0), GuildSetting.LOGGING_CHANNEL_ID, 30))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(backend.read(key(0))).isEmpty();
    }

    @Test
    void concurrentChangesOfDifferentSettingsOfOneGuildAllSurvive() throws Exception {
        int rounds = 25;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (GuildSetting setting : GuildSetting.values()) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        guilds().writeSetting(key(0), setting, valueFor(setting, i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        GuildSettings expected = GuildSettings.EMPTY;
        for (GuildSetting setting : GuildSetting.values()) {
            expected = expected.with(setting, valueFor(setting, rounds - 1));
        }
        assertThat(settings(key(0))).contains(expected);
    }

    private static Object valueFor(GuildSetting setting, int i) {
        return setting == GuildSetting.SILENT_FIRST_MSG_DAYS ? 7 + i : Long.toString(400_000_000_000_000_000L + i);
    }
}
