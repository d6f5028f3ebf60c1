package dev.configstore.guild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.settings.GuildSnapshot;
import dev.configstore.settings.Origin;
import dev.configstore.settings.Resolution;
import dev.configstore.settings.Scope;
import dev.configstore.spi.BackendOperations;
import dev.configstore.spi.Versioned;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The facades as thin code over the three declarations: what the declarations say, stored values
 * that break their rules skipped and counted, the same objects returned on every hit with no
 * allocation, and forgetting a guild reaching other caches.
 */
class BuiltInSettingsTest {

    private static final String GUILD = "100000000000000001";
    private static final String OTHER_GUILD = "100000000000000002";
    private static final String CHANNEL = "200000000000000001";
    private static final String ENV_CHANNEL = "300000000000000001";

    private final Rows rows = new Rows();

    private GuildConfig config(ConfigDefaults defaults) {
        return GuildConfig.builder(rows).defaults(defaults).build();
    }

    @Test
    void theDeclarationsAreTheColumnsTheirRulesTheirVariablesAndTheirDefaults() {
        assertThat(BuiltInSettings.all())
                .containsExactly(
                        BuiltInSettings.LOGGING_CHANNEL,
                        BuiltInSettings.FLAGS_CHANNEL,
                        BuiltInSettings.SILENT_FIRST_MSG_DAYS);
        assertThat(List.of(GuildSetting.values()).stream().map(GuildSetting::setting))
                .containsExactlyElementsOf(BuiltInSettings.all());
        for (GuildSetting setting : GuildSetting.values()) {
            assertThat(setting.setting().key()).isEqualTo(setting.column());
            assertThat(setting.setting().scopes()).containsExactly(Scope.GUILD);
        }
        assertThat(GuildSetting.LOGGING_CHANNEL_ID.column()).isEqualTo("logging_channel_id");
        assertThat(BuiltInSettings.LOGGING_CHANNEL.environmentVariable()).contains(ConfigDefaults.LOGGING_CHANNEL);
        assertThat(BuiltInSettings.FLAGS_CHANNEL.environmentVariable())
                .contains(ConfigDefaults.FLAGGED_REPORT_CHANNEL_ID);
        assertThat(BuiltInSettings.SILENT_FIRST_MSG_DAYS.environmentVariable())
                .contains(ConfigDefaults.SILENT_FIRST_MSG_DAYS);
        assertThat(BuiltInSettings.SILENT_FIRST_MSG_DAYS.defaultValue()).contains(7);
        assertThat(BuiltInSettings.SILENT_FIRST_MSG_DAYS.ruleTexts()).containsExactly("range(7,365)");
        assertThat(BuiltInSettings.LOGGING_CHANNEL.codec().type()).isEqualTo("snowflake");
        assertThatThrownBy(() -> BuiltInSettings.SILENT_FIRST_MSG_DAYS.decode("6"))
                .hasMessageContaining("breaks rule range(7,365)");
    }

    @Test
    void theSchemaReadsTheEnvironmentFromConfigDefaults() {
        try (GuildConfig config = config(ConfigDefaults.of(
                Map.of(ConfigDefaults.LOGGING_CHANNEL, ENV_CHANNEL, ConfigDefaults.SILENT_FIRST_MSG_DAYS, "030")))) {
            assertThat(config.schema().settings()).isEqualTo(BuiltInSettings.all());
            assertThat(config.schema().fallback(BuiltInSettings.LOGGING_CHANNEL))
                    .isEqualTo(new Resolution<>(Optional.of(ENV_CHANNEL), Origin.ENVIRONMENT, List.of()));
            assertThat(config.schema().fallback(BuiltInSettings.SILENT_FIRST_MSG_DAYS))
                    .isEqualTo(new Resolution<>(Optional.of(30), Origin.ENVIRONMENT, List.of()));
            assertThat(config.schema().fallback(BuiltInSettings.FLAGS_CHANNEL))
                    .isEqualTo(new Resolution<>(Optional.empty(), Origin.NONE, List.of()));
        }
    }

    @Test
    void storedValuesThatBreakARuleAreSkippedCountedOnceAndFallThrough() {
        rows.put(GUILD, new GuildSettings(Optional.of("not a snowflake"), Optional.of(CHANNEL), OptionalInt.of(3)));
        rows.put(OTHER_GUILD, new GuildSettings(Optional.of("0123"), Optional.empty(), OptionalInt.of(366)));
        try (GuildConfig config = config(ConfigDefaults.of(Map.of(ConfigDefaults.LOGGING_CHANNEL, ENV_CHANNEL)))) {
            assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                    .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 7, Source.DATABASE, Source.DEFAULT));
            assertThat(config.loggingStore().resolveLoggingChannel(GUILD))
                    .isEqualTo(new Resolved<>(Optional.of(ENV_CHANNEL), Source.ENVIRONMENT));
            assertThat(config.loggingStore().getLoggingChannelId(OTHER_GUILD)).contains(ENV_CHANNEL);
            assertThat(config.flaggerStore().getFlaggerConfig(OTHER_GUILD).silentDays())
                    .isEqualTo(7);
            assertThat(config.schema().skippedValues()).isEqualTo(4);

            GuildSnapshot snapshot = config.snapshot(GUILD);
            Resolution<Integer> days = snapshot.resolve(BuiltInSettings.SILENT_FIRST_MSG_DAYS);
            assertThat(days.value()).contains(7);
            assertThat(days.origin()).isEqualTo(Origin.DEFAULT);
            assertThat(days.skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.scope()).isEqualTo(Scope.GUILD);
                assertThat(skipped.text()).isEqualTo("3");
                assertThat(skipped.reason())
                        .contains("\"silent_first_msg_days\"", "range(7,365)", "below the minimum 7");
            });
            assertThat(snapshot.resolve(BuiltInSettings.LOGGING_CHANNEL).skipped())
                    .singleElement()
                    .satisfies(skipped -> assertThat(skipped.reason()).contains("not a snowflake"));

            config.store().invalidateAll();
            config.flaggerStore().getFlaggerConfig(GUILD);
            config.loggingStore().getLoggingChannelId(OTHER_GUILD);
            assertThat(config.schema().skippedValues())
                    .as("each value is counted once, however often its row is read again")
                    .isEqualTo(4);
            assertThat(config.store().get(GUILD))
                    .as("the row itself is read back as stored")
                    .contains(
                            new GuildSettings(Optional.of("not a snowflake"), Optional.of(CHANNEL), OptionalInt.of(3)));
        }
    }

    @Test
    void silentDaysABackendCouldNotReadAsAWholeNumberAreSkippedLikeABrokenRule() {
        GuildSettings unreadable = new GuildSettings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.empty())
                .withUnreadableSilentDays("thirty");
        assertThat(unreadable.unreadableSilentDays()).contains("thirty");
        assertThat(unreadable.silentFirstMsgDays()).isEmpty();
        assertThat(unreadable.get(GuildSetting.SILENT_FIRST_MSG_DAYS)).isNull();
        assertThat(unreadable).isNotEqualTo(unreadable.with(GuildSetting.SILENT_FIRST_MSG_DAYS, null));
        assertThat(unreadable.with(GuildSetting.LOGGING_CHANNEL_ID, null).isEmpty())
                .as("a row holding only an unreadable value is not empty")
                .isFalse();
        assertThat(unreadable.with(GuildSetting.SILENT_FIRST_MSG_DAYS, 9).unreadableSilentDays())
                .isEmpty();
        assertThat(unreadable.toString()).contains("unreadableSilentDays=thirty");
        assertThat(GuildSettings.EMPTY.toString())
                .isEqualTo("GuildSettings[loggingChannelId=Optional.empty, flagsChannelId=Optional.empty,"
                        + " silentFirstMsgDays=OptionalInt.empty]");

        rows.put(GUILD, unreadable);
        try (GuildConfig config = config(ConfigDefaults.of(Map.of(ConfigDefaults.SILENT_FIRST_MSG_DAYS, "30")))) {
            assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                    .isEqualTo(new FlaggerConfig(Optional.empty(), 30, Source.DEFAULT, Source.ENVIRONMENT));
            assertThat(config.snapshot(GUILD)
                            .resolve(BuiltInSettings.SILENT_FIRST_MSG_DAYS)
                            .skipped())
                    .singleElement()
                    .satisfies(skipped -> {
                        assertThat(skipped.text()).isEqualTo("thirty");
                        assertThat(skipped.reason()).contains("is not a int");
                    });
            assertThat(config.schema().skippedValues()).isEqualTo(1);
        }
    }

    @Test
    void aHitReturnsTheSameObjectsUntilTheRowChanges() {
        rows.put(GUILD, new GuildSettings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.of(30)));
        try (GuildConfig config = config(ConfigDefaults.none())) {
            FlaggerConfig flagger = config.flaggerStore().getFlaggerConfig(GUILD);
            Resolved<String> logging = config.loggingStore().resolveLoggingChannel(GUILD);
            assertThat(flagger).isEqualTo(new FlaggerConfig(Optional.empty(), 30, Source.DEFAULT, Source.DATABASE));
            assertThat(logging).isEqualTo(new Resolved<>(Optional.of(CHANNEL), Source.DATABASE));
            assertThat(config.flaggerStore().getFlaggerConfig(GUILD)).isSameAs(flagger);
            assertThat(config.loggingStore().resolveLoggingChannel(GUILD)).isSameAs(logging);
            assertThat(config.loggingStore().getLoggingChannelId(GUILD)).isSameAs(logging.value());
            assertThat(config.snapshot(GUILD)).isSameAs(config.snapshot(GUILD));
            assertThat(config.flaggerStore().getFlaggerConfig(OTHER_GUILD))
                    .as("every guild with nothing stored reads the same fallbacks")
                    .isSameAs(config.flaggerStore().getFlaggerConfig("100000000000000003"));

            config.flaggerStore().setSilentFirstMsgDays(GUILD, 31);
            assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                    .isNotSameAs(flagger)
                    .isEqualTo(new FlaggerConfig(Optional.empty(), 31, Source.DEFAULT, Source.DATABASE));
        }
    }

    @Test
    void twoConfigsOverOneRowEachResolveWithTheirOwnEnvironment() {
        GuildSettings shared = new GuildSettings(Optional.empty(), Optional.of(CHANNEL), OptionalInt.empty());
        rows.put(GUILD, shared);
        try (GuildConfig plain = config(ConfigDefaults.none());
                GuildConfig thirty = config(ConfigDefaults.of(Map.of(ConfigDefaults.SILENT_FIRST_MSG_DAYS, "30")))) {
            for (int i = 0; i < 2; i++) {
                assertThat(plain.flaggerStore().getFlaggerConfig(GUILD).silentDays())
                        .isEqualTo(7);
                assertThat(thirty.flaggerStore().getFlaggerConfig(GUILD).silentDays())
                        .isEqualTo(30);
                assertThat(thirty.snapshot(GUILD).guildId()).isEqualTo(GUILD);
            }
        }
    }

    @Test
    void aRepeatedHitOfEitherFacadeAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        rows.put(GUILD, new GuildSettings(Optional.of(CHANNEL), Optional.of(CHANNEL), OptionalInt.of(30)));
        try (GuildConfig config = config(ConfigDefaults.of(Map.of(ConfigDefaults.LOGGING_CHANNEL, ENV_CHANNEL)))) {
            int reads = 100_000;
            readAll(config, reads);
            threads.getCurrentThreadAllocatedBytes();
            long before = threads.getCurrentThreadAllocatedBytes();
            long found = readAll(config, reads);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(found).isEqualTo(4L * reads);
            // Allocating even 8 bytes a read would show as 3 MB; the margin is for the measurement.
            assertThat(allocated)
                    .as("bytes allocated by %s facade reads that hit the cache", 4 * reads)
                    .isLessThan(4_096);
        }
    }

    private static long readAll(GuildConfig config, int times) {
        long found = 0;
        for (int i = 0; i < times; i++) {
            found += config.flaggerStore().getFlaggerConfig(GUILD).silentDays() == 30 ? 1 : 0;
            found += config.loggingStore().getLoggingChannelId(GUILD).isPresent() ? 1 : 0;
            found += config.loggingStore().resolveLoggingChannel(GUILD).source() == Source.DATABASE ? 1 : 0;
            found += config.loggingStore().getLoggingChannelId(OTHER_GUILD).isPresent() ? 1 : 0;
        }
        return found;
    }

    @Test
    void forgettingAGuildRunsWhatTheBuilderAddedAfterDroppingTheFacadesEntry() {
        List<String> forgotten = new ArrayList<>();
        rows.put(GUILD, new GuildSettings(Optional.of(CHANNEL), Optional.empty(), OptionalInt.empty()));
        try (GuildConfig config =
                GuildConfig.builder(rows).onForgetGuild(forgotten::add).build()) {
            config.loggingStore().getLoggingChannelId(GUILD);
            long reads = rows.reads.get();
            config.loggingStore().forgetGuild(GUILD);
            config.flaggerStore().forgetGuild(Long.parseLong(OTHER_GUILD));
            assertThat(forgotten).containsExactly(GUILD, OTHER_GUILD);
            config.loggingStore().getLoggingChannelId(GUILD);
            assertThat(rows.reads.get()).as("read again").isEqualTo(reads + 1);
        }
    }

    /** Rows in a map, written only through the facades' single-setting changes. */
    private static final class Rows implements GuildSettingsBackend {
        private final Map<String, Versioned<GuildSettings>> rows = new ConcurrentHashMap<>();
        private final AtomicLong versions = new AtomicLong();
        final AtomicLong reads = new AtomicLong();

        void put(String guildId, GuildSettings settings) {
            rows.put(guildId, new Versioned<>(settings, versions.incrementAndGet()));
        }

        @Override
        public Optional<Versioned<GuildSettings>> read(String guildId) {
            reads.incrementAndGet();
            return Optional.ofNullable(rows.get(guildId));
        }

        @Override
        public long writeSetting(String guildId, GuildSetting setting, @Nullable Object value) {
            Versioned<GuildSettings> current = rows.get(guildId);
            GuildSettings settings = (current == null ? GuildSettings.EMPTY : current.value()).with(setting, value);
            long version = versions.incrementAndGet();
            rows.put(guildId, new Versioned<>(settings, version));
            return version;
        }

        @Override
        public long write(String guildId, GuildSettings settings) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long delete(String guildId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T inTransaction(Function<? super BackendOperations<String, GuildSettings>, ? extends T> work) {
            throw new UnsupportedOperationException();
        }
    }
}
