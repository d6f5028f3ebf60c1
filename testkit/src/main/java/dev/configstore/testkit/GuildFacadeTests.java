package dev.configstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.configstore.StoreException;
import dev.configstore.guild.ConfigDefaults;
import dev.configstore.guild.FlaggerConfig;
import dev.configstore.guild.FlaggerStore;
import dev.configstore.guild.GuildConfig;
import dev.configstore.guild.GuildSetting;
import dev.configstore.guild.GuildSettingsBackend;
import dev.configstore.guild.LoggingStore;
import dev.configstore.guild.Resolved;
import dev.configstore.guild.Snowflakes;
import dev.configstore.guild.Source;
import dev.configstore.testkit.FaultyBackend.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The behaviour of the guild facades ({@link LoggingStore}, {@link FlaggerStore}) over a
 * backend: validation, resolution and provenance, sharing one row per guild, the cache's
 * behaviour as a bot sees it, and property tests. A backend module extends this class and
 * implements {@link #createGuildBackend()}.
 */
public abstract class GuildFacadeTests {

    private static final String GUILD = "123456789012345678";
    private static final String OTHER_GUILD = "223456789012345678";
    private static final String CHANNEL = "987654321098765432";
    private static final String OTHER_CHANNEL = "887654321098765432";
    private static final String ENV_CHANNEL = "777777777777777777";

    private final FakeTicker ticker = new FakeTicker();
    private GuildSettingsBackend backend;
    private FaultyGuildSettingsBackend faulty;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Creates the test; JUnit calls this. */
    protected GuildFacadeTests() {}

    /**
     * Creates an empty backend that no other test uses; it is closed after the test if it is
     * {@link AutoCloseable}.
     *
     * @return a new backend
     * @throws Exception if it cannot be created
     */
    protected abstract GuildSettingsBackend createGuildBackend() throws Exception;

    /**
     * Creates the backend under test.
     *
     * @throws Exception if it cannot be created
     */
    @BeforeEach
    void createBackendUnderTest() throws Exception {
        backend = newBackend();
        faulty = FaultyGuildSettingsBackend.wrap(backend);
    }

    /**
     * Closes what the test opened.
     *
     * @throws Exception if closing fails
     */
    @AfterEach
    void closeWhatWasOpened() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private GuildSettingsBackend newBackend() throws Exception {
        GuildSettingsBackend created = createGuildBackend();
        if (created instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        return created;
    }

    private GuildConfig config(ConfigDefaults defaults) {
        return config(faulty, defaults);
    }

    private GuildConfig config(GuildSettingsBackend over, ConfigDefaults defaults) {
        GuildConfig config = GuildConfig.builder(over)
                .defaults(defaults)
                .cache(cache -> cache.expireAfterWrite(Duration.ofSeconds(60))
                        .ticker(ticker)
                        .executor(Runnable::run))
                .build();
        opened.add(config);
        return config;
    }

    private GuildConfig config() {
        return config(ConfigDefaults.none());
    }

    private static ConfigDefaults environment(String... namesAndValues) {
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            variables.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return ConfigDefaults.of(variables);
    }

    private long writes() {
        return faulty.faults().calls(Call.WRITE);
    }

    private long reads() {
        return faulty.faults().calls(Call.READ);
    }

    // ---- validation -------------------------------------------------------------------------

    /** Ids that must be refused, each breaking one rule. */
    private static final List<String> BAD_IDS = List.of(
            "",
            " 123",
            "123 ",
            "12 3",
            "+123",
            "-123",
            "0123",
            "00",
            "12.5",
            "1e9",
            "abc",
            "12a",
            "１２３",
            "١٢٣",
            "123\n",
            "18446744073709551616",
            "99999999999999999999",
            "100000000000000000000");

    private List<ThrowingCallable> everyCallTaking(String guildId, GuildConfig config) {
        LoggingStore logging = config.loggingStore();
        FlaggerStore flagger = config.flaggerStore();
        return List.of(
                () -> logging.getLoggingChannelId(guildId),
                () -> logging.resolveLoggingChannel(guildId),
                () -> logging.setLoggingChannelId(guildId, CHANNEL),
                () -> logging.clearLoggingChannelId(guildId),
                () -> logging.forgetGuild(guildId),
                () -> flagger.getFlaggerConfig(guildId),
                () -> flagger.setFlagsChannelId(guildId, CHANNEL),
                () -> flagger.clearFlagsChannelId(guildId),
                () -> flagger.setSilentFirstMsgDays(guildId, 30),
                () -> flagger.clearSilentFirstMsgDays(guildId),
                () -> flagger.forgetGuild(guildId),
                // the store behind the facades, for code that uses it directly
                () -> config.store().get(guildId),
                () -> config.store().remove(guildId));
    }

    @Test
    void everyMethodRefusesAnIdThatIsNotASnowflakeAndWritesNothing() {
        GuildConfig config = config();
        for (String bad : BAD_IDS) {
            for (ThrowingCallable call : everyCallTaking(bad, config)) {
                assertThatThrownBy(call)
                        .as("guild id \"%s\"", bad)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("guildId must be a Discord snowflake");
            }
            assertThatThrownBy(() -> config.loggingStore().setLoggingChannelId(GUILD, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("channelId must be a Discord snowflake");
            assertThatThrownBy(() -> config.flaggerStore().setFlagsChannelId(GUILD, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("channelId must be a Discord snowflake");
        }
        assertThat(writes()).isZero();
        assertThat(reads()).isZero();
    }

    @Test
    void aMessageSaysWhichRuleAnIdBreaks() {
        LoggingStore logging = config().loggingStore();

        assertThatThrownBy(() -> logging.setLoggingChannelId("0123", CHANNEL)).hasMessageEndingWith("(leading zero)");
        assertThatThrownBy(() -> logging.setLoggingChannelId(GUILD, "18446744073709551616"))
                .hasMessageEndingWith("(larger than 18446744073709551615)");
        assertThatThrownBy(() -> logging.setLoggingChannelId(" 1", CHANNEL))
                .hasMessageEndingWith("(character 1 is not a decimal digit)");
        assertThatThrownBy(() -> logging.setLoggingChannelId("1\t", CHANNEL)).hasMessageContaining("\"1\\u0009\"");
    }

    @Test
    void theSmallestAndLargestSnowflakesAreAccepted() {
        LoggingStore logging = config().loggingStore();

        logging.setLoggingChannelId("0", Snowflakes.MAX);
        logging.setLoggingChannelId(Snowflakes.MAX, "0");

        assertThat(logging.getLoggingChannelId("0")).contains(Snowflakes.MAX);
        assertThat(logging.getLoggingChannelId(Snowflakes.MAX)).contains("0");
    }

    @Test
    void longIdsAreTheSameGuildsAsTheirDecimalStringsAndNegativeOnesAreRefused() {
        GuildConfig config = config();

        config.loggingStore().setLoggingChannelId(123456789012345678L, 987654321098765432L);
        config.flaggerStore().setFlagsChannelId(123456789012345678L, 887654321098765432L);
        config.flaggerStore().setSilentFirstMsgDays(123456789012345678L, 30);

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        assertThat(config.flaggerStore().getFlaggerConfig(123456789012345678L))
                .isEqualTo(new FlaggerConfig(Optional.of(OTHER_CHANNEL), 30, Source.DATABASE, Source.DATABASE));
        assertThatThrownBy(() -> config.loggingStore().getLoggingChannelId(-1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1 (negative");
        assertThatThrownBy(() -> config.loggingStore().setLoggingChannelId(1L, -5L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("channelId must be");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -7, 0, 6, 366, 1000, Integer.MAX_VALUE})
    void silentDaysOutsideSevenTo365AreRefusedAndNothingIsWritten(int days) {
        FlaggerStore flagger = config().flaggerStore();

        assertThatThrownBy(() -> flagger.setSilentFirstMsgDays(GUILD, days))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Silent days threshold must be between 7 and 365 days, got " + days);
        assertThat(writes()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 8, 364, 365})
    void silentDaysFromSevenTo365AreStored(int days) {
        FlaggerStore flagger = config().flaggerStore();

        flagger.setSilentFirstMsgDays(GUILD, days);

        assertThat(flagger.getFlaggerConfig(GUILD).silentDays()).isEqualTo(days);
    }

    // ---- resolution and provenance ----------------------------------------------------------

    @Test
    void withNothingStoredAndNoEnvironmentTheBuiltInDefaultsApply() {
        GuildConfig config = config();

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).isEmpty();
        assertThat(config.loggingStore().resolveLoggingChannel(GUILD))
                .isEqualTo(new Resolved<>(Optional.empty(), Source.DEFAULT));
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.empty(), 7, Source.DEFAULT, Source.DEFAULT));
    }

    @Test
    void withNothingStoredTheEnvironmentApplies() {
        GuildConfig config = config(environment(
                "LOGGING_CHANNEL", ENV_CHANNEL,
                "FLAGGED_REPORT_CHANNEL_ID", ENV_CHANNEL,
                "SILENT_FIRST_MSG_DAYS", "30"));

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(ENV_CHANNEL);
        assertThat(config.loggingStore().resolveLoggingChannel(GUILD))
                .isEqualTo(new Resolved<>(Optional.of(ENV_CHANNEL), Source.ENVIRONMENT));
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.of(ENV_CHANNEL), 30, Source.ENVIRONMENT, Source.ENVIRONMENT));
    }

    @Test
    void aStoredValueWinsOverTheEnvironmentEvenWhenItEqualsTheBuiltInDefault() {
        GuildConfig config = config(environment(
                "LOGGING_CHANNEL", ENV_CHANNEL,
                "FLAGGED_REPORT_CHANNEL_ID", ENV_CHANNEL,
                "SILENT_FIRST_MSG_DAYS", "30"));

        config.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        config.flaggerStore().setFlagsChannelId(GUILD, OTHER_CHANNEL);
        config.flaggerStore().setSilentFirstMsgDays(GUILD, 7);

        assertThat(config.loggingStore().resolveLoggingChannel(GUILD))
                .isEqualTo(new Resolved<>(Optional.of(CHANNEL), Source.DATABASE));
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.of(OTHER_CHANNEL), 7, Source.DATABASE, Source.DATABASE));
        assertThat(config.flaggerStore().getFlaggerConfig(OTHER_GUILD).silentDays())
                .isEqualTo(30);
    }

    @Test
    void eachFieldResolvesOnItsOwn() {
        GuildConfig config = config(environment("SILENT_FIRST_MSG_DAYS", "30"));

        config.flaggerStore().setFlagsChannelId(GUILD, CHANNEL);

        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.of(CHANNEL), 30, Source.DATABASE, Source.ENVIRONMENT));
    }

    @Test
    void clearingAStoredValueBringsTheDefaultBack() {
        GuildConfig config = config(environment("LOGGING_CHANNEL", ENV_CHANNEL, "SILENT_FIRST_MSG_DAYS", "30"));
        config.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        config.flaggerStore().setFlagsChannelId(GUILD, CHANNEL);
        config.flaggerStore().setSilentFirstMsgDays(GUILD, 100);

        config.loggingStore().clearLoggingChannelId(GUILD);
        config.flaggerStore().clearFlagsChannelId(GUILD);
        config.flaggerStore().clearSilentFirstMsgDays(GUILD);

        assertThat(config.loggingStore().resolveLoggingChannel(GUILD))
                .isEqualTo(new Resolved<>(Optional.of(ENV_CHANNEL), Source.ENVIRONMENT));
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.empty(), 30, Source.DEFAULT, Source.ENVIRONMENT));
    }

    @Test
    void aFailedReadIsReportedNeverReplacedByTheDefaultAndNotCached() {
        GuildConfig config = config(environment("LOGGING_CHANNEL", ENV_CHANNEL));
        backend.writeSetting(GUILD, GuildSetting.LOGGING_CHANNEL_ID, CHANNEL);
        faulty.faults().failNext(Call.READ, StoreException.Reason.BUSY);

        assertThatThrownBy(() -> config.loggingStore().getLoggingChannelId(GUILD))
                .isInstanceOfSatisfying(
                        StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.BUSY));

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        faulty.faults().failNext(Call.READ, StoreException.Reason.UNAVAILABLE);
        assertThatThrownBy(() -> config.flaggerStore().getFlaggerConfig(OTHER_GUILD))
                .isInstanceOf(StoreException.class);
    }

    // ---- one row per guild ------------------------------------------------------------------

    @Test
    void settingOneFieldNeverClearsAnother() {
        GuildConfig config = config();

        config.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        config.flaggerStore().setFlagsChannelId(GUILD, OTHER_CHANNEL);
        config.flaggerStore().setSilentFirstMsgDays(GUILD, 45);
        config.flaggerStore().clearFlagsChannelId(GUILD);

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                .isEqualTo(new FlaggerConfig(Optional.empty(), 45, Source.DEFAULT, Source.DATABASE));
    }

    @Test
    void concurrentSettersOfDifferentFieldsOfOneGuildAllSurvive() throws Exception {
        GuildConfig first = config();
        GuildConfig second = config(backend, ConfigDefaults.none());
        int rounds = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    first.loggingStore().setLoggingChannelId(GUILD, Long.toString(500_000_000_000_000_000L + i));
                }
                return null;
            }));
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    second.flaggerStore().setFlagsChannelId(GUILD, Long.toString(600_000_000_000_000_000L + i));
                }
                return null;
            }));
            done.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    first.flaggerStore().setSilentFirstMsgDays(GUILD, 7 + i);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }

        String lastLogging = Long.toString(500_000_000_000_000_000L + rounds - 1);
        String lastFlags = Long.toString(600_000_000_000_000_000L + rounds - 1);
        for (GuildConfig config : List.of(first, config())) {
            assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(lastLogging);
            assertThat(config.flaggerStore().getFlaggerConfig(GUILD))
                    .isEqualTo(new FlaggerConfig(
                            Optional.of(lastFlags), 7 + rounds - 1, Source.DATABASE, Source.DATABASE));
        }
    }

    // ---- the bot's test plan, on a fake clock -----------------------------------------------

    @Test
    void aReadWithinSixtySecondsIsServedFromTheCache() {
        LoggingStore logging = config().loggingStore();
        backend.writeSetting(GUILD, GuildSetting.LOGGING_CHANNEL_ID, CHANNEL);
        assertThat(logging.getLoggingChannelId(GUILD)).contains(CHANNEL);

        backend.writeSetting(GUILD, GuildSetting.LOGGING_CHANNEL_ID, OTHER_CHANNEL); // behind the cache's back
        ticker.advance(Duration.ofSeconds(59));

        assertThat(logging.getLoggingChannelId(GUILD)).contains(CHANNEL);
        assertThat(reads()).isEqualTo(1);
    }

    @Test
    void aReadAfterSixtySecondsGoesBackToTheDatabase() {
        LoggingStore logging = config().loggingStore();
        backend.writeSetting(GUILD, GuildSetting.LOGGING_CHANNEL_ID, CHANNEL);
        logging.getLoggingChannelId(GUILD);
        backend.writeSetting(GUILD, GuildSetting.LOGGING_CHANNEL_ID, OTHER_CHANNEL);

        ticker.advance(Duration.ofSeconds(60));

        assertThat(logging.getLoggingChannelId(GUILD)).contains(OTHER_CHANNEL);
        assertThat(reads()).isEqualTo(2);
    }

    @Test
    void aGuildWithNothingStoredIsCachedToo() {
        GuildConfig config = config();

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).isEmpty();
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD).channelId()).isEmpty();
        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).isEmpty();

        assertThat(reads()).isEqualTo(1);
    }

    @Test
    void aSetIsSeenByTheNextGet() {
        GuildConfig config = config();
        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).isEmpty();
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD).silentDays()).isEqualTo(7);

        config.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        config.flaggerStore().setSilentFirstMsgDays(GUILD, 14);

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD).silentDays()).isEqualTo(14);
    }

    @Test
    void aFailedSetKeepsTheOldValueInTheCacheAndTheDatabase() {
        GuildConfig config = config();
        config.loggingStore().setLoggingChannelId(GUILD, CHANNEL);
        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        long readsBefore = reads();
        faulty.faults().failNext(Call.WRITE, StoreException.Reason.STORAGE_FULL);

        assertThatThrownBy(() -> config.loggingStore().setLoggingChannelId(GUILD, OTHER_CHANNEL))
                .isInstanceOfSatisfying(
                        StoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.STORAGE_FULL));

        assertThat(config.loggingStore().getLoggingChannelId(GUILD)).contains(CHANNEL);
        assertThat(reads()).as("served from the cache").isEqualTo(readsBefore);
        assertThat(backend.read(GUILD).flatMap(v -> v.value().loggingChannelId()))
                .contains(CHANNEL);
    }

    @Test
    void forgettingAGuildDropsItsCachedSettingsAndKeepsItsStoredOnes() {
        GuildConfig config = config();
        config.flaggerStore().setSilentFirstMsgDays(GUILD, 30);
        config.flaggerStore().getFlaggerConfig(GUILD);
        long readsBefore = reads();

        config.loggingStore().forgetGuild(GUILD);

        assertThat(backend.read(GUILD)).isPresent();
        assertThat(config.flaggerStore().getFlaggerConfig(GUILD).silentDays()).isEqualTo(30);
        assertThat(reads()).isEqualTo(readsBefore + 1);
        assertThat(writes()).isEqualTo(1);
    }

    // ---- properties -------------------------------------------------------------------------

    private static final Gen<String> VALID_SNOWFLAKES = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE)
            .map((Long id) -> Long.toUnsignedString(id))
            .mix(Generate.longRange(0, 1_000).map((Long id) -> Long.toString(id)))
            .mix(Generate.constant(Snowflakes.MAX));

    /** Strings that may look like ids, each breaking at least one rule. */
    private static final Gen<String> INVALID_IDS = lists().of(
                    Generate.pick(List.of("0", "1", "9", "5", " ", "\t", "+", "-", ".", "a", "٣", "１", "\u00a0", "e")))
            .ofSizeBetween(0, 24)
            .map(parts -> String.join("", parts))
            .mix(VALID_SNOWFLAKES.map(valid -> "0" + valid))
            .mix(VALID_SNOWFLAKES.map(valid -> valid + "0").assuming(s -> s.length() >= 20))
            .assuming(s -> !Snowflakes.isValid(s));

    @Test
    void anyValidSnowflakeRoundTrips() {
        GuildConfig config = config();
        qt().withExamples(200).forAll(VALID_SNOWFLAKES, VALID_SNOWFLAKES).checkAssert((guild, channel) -> {
            config.loggingStore().setLoggingChannelId(guild, channel);
            config.flaggerStore().setFlagsChannelId(guild, channel);
            assertThat(config.loggingStore().getLoggingChannelId(guild)).contains(channel);
            assertThat(config.flaggerStore().getFlaggerConfig(guild).channelId())
                    .contains(channel);
        });
    }

    @Test
    void anyInvalidIdIsRefusedAndWritesNothing() {
        GuildConfig config = config();
        qt().withExamples(1000).forAll(INVALID_IDS).checkAssert(bad -> {
            assertThatThrownBy(() -> config.loggingStore().setLoggingChannelId(bad, CHANNEL))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> config.loggingStore().setLoggingChannelId(GUILD, bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> config.flaggerStore().getFlaggerConfig(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        });
        assertThat(writes()).isZero();
        assertThat(reads()).isZero();
    }

    /** One step of the interleaving property: a facade call on guild {@code guild}. */
    private record Step(
            int guild, GuildSetting setting, @Nullable Object value, boolean forget) {
        @Override
        public String toString() {
            String target = "guild" + guild;
            return forget
                    ? "forget(" + target + ")"
                    : (value == null ? "clear " : "set ") + setting + " of " + target
                            + (value == null ? "" : " to " + value);
        }
    }

    @Test
    void randomSetsAndClearsOnBothFacadesMatchAModelRow() {
        Gen<Step> steps = Generate.range(0, 1)
                .zip(
                        Generate.enumValues(GuildSetting.class),
                        Generate.range(0, 4),
                        (guild, setting, choice) -> new Step(
                                guild,
                                setting,
                                choice == 0
                                        ? null
                                        : setting == GuildSetting.SILENT_FIRST_MSG_DAYS
                                                ? 6 + choice * 50
                                                : "1" + choice,
                                false))
                .mix(
                        Generate.range(0, 1).map(guild -> new Step(guild, GuildSetting.LOGGING_CHANNEL_ID, null, true)),
                        10);
        ConfigDefaults defaults = environment("LOGGING_CHANNEL", ENV_CHANNEL, "SILENT_FIRST_MSG_DAYS", "30");
        qt().withExamples(150).forAll(lists().of(steps).ofSizeBetween(1, 25)).checkAssert(sequence -> {
            GuildSettingsBackend fresh = newBackendUnchecked();
            GuildConfig config = config(fresh, defaults);
            Map<Integer, Map<GuildSetting, Object>> model = new HashMap<>();
            for (Step step : sequence) {
                apply(config, step);
                Map<GuildSetting, Object> row = model.computeIfAbsent(step.guild(), g -> new HashMap<>());
                if (!step.forget()) {
                    if (step.value() == null) {
                        row.remove(step.setting());
                    } else {
                        row.put(step.setting(), step.value());
                    }
                }
                for (int guild = 0; guild < 2; guild++) {
                    checkAgainstModel(config, guild, model.getOrDefault(guild, Map.of()), sequence);
                }
            }
        });
    }

    private GuildSettingsBackend newBackendUnchecked() {
        try {
            return newBackend();
        } catch (Exception e) {
            throw new IllegalStateException("could not create a backend", e);
        }
    }

    private static String guildId(int guild) {
        return guild == 0 ? GUILD : OTHER_GUILD;
    }

    private static void apply(GuildConfig config, Step step) {
        String guild = guildId(step.guild());
        if (step.forget()) {
            config.flaggerStore().forgetGuild(guild);
            return;
        }
        Consumer<Object> set;
        Runnable clear;
        switch (step.setting()) {
            case LOGGING_CHANNEL_ID -> {
                set = value -> config.loggingStore().setLoggingChannelId(guild, (String) value);
                clear = () -> config.loggingStore().clearLoggingChannelId(guild);
            }
            case FLAGS_CHANNEL_ID -> {
                set = value -> config.flaggerStore().setFlagsChannelId(guild, (String) value);
                clear = () -> config.flaggerStore().clearFlagsChannelId(guild);
            }
            default -> {
                set = value -> config.flaggerStore().setSilentFirstMsgDays(guild, (Integer) value);
                clear = () -> config.flaggerStore().clearSilentFirstMsgDays(guild);
            }
        }
        Object value = step.value();
        if (value == null) {
            clear.run();
        } else {
            set.accept(value);
        }
    }

    private static void checkAgainstModel(
            GuildConfig config, int guild, Map<GuildSetting, Object> row, List<Step> sequence) {
        String context = "guild" + guild + " after "
                + sequence.stream().map(Step::toString).collect(Collectors.joining("; "));
        Object logging = row.get(GuildSetting.LOGGING_CHANNEL_ID);
        Object flags = row.get(GuildSetting.FLAGS_CHANNEL_ID);
        Object days = row.get(GuildSetting.SILENT_FIRST_MSG_DAYS);
        assertThat(config.loggingStore().resolveLoggingChannel(guildId(guild)))
                .as(context)
                .isEqualTo(
                        logging != null
                                ? new Resolved<>(Optional.of((String) logging), Source.DATABASE)
                                : new Resolved<>(Optional.of(ENV_CHANNEL), Source.ENVIRONMENT));
        assertThat(config.flaggerStore().getFlaggerConfig(guildId(guild)))
                .as(context)
                .isEqualTo(new FlaggerConfig(
                        Optional.ofNullable((String) flags),
                        days != null ? (Integer) days : 30,
                        flags != null ? Source.DATABASE : Source.DEFAULT,
                        days != null ? Source.DATABASE : Source.ENVIRONMENT));
    }
}
