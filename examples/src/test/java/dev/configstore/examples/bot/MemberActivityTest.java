package dev.configstore.examples.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.configstore.CachedKeyValueStore;
import dev.configstore.testkit.FaultyBackend;
import dev.configstore.testkit.FaultyBackend.Call;
import dev.configstore.testkit.InMemoryBackend;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When members last posted, per guild, kept in a store that outlives the bot's process. */
class MemberActivityTest {

    private static final String GUILD = "123456789012345678";
    private static final String OTHER_GUILD = "223456789012345678";
    private static final String MEMBER = "555555555555555555";
    private static final Instant JOINED = Instant.parse("2026-01-01T00:00:00Z");

    private final FaultyBackend<String, String> backend = FaultyBackend.wrap(InMemoryBackend.create());
    private final MemberActivity activity = new MemberActivity(store());

    private CachedKeyValueStore<String, String> store() {
        return CachedKeyValueStore.builder(backend).build();
    }

    private static Instant day(long days) {
        return JOINED.plus(Duration.ofDays(days));
    }

    @Test
    void aFirstMessageEndsTheSilenceSinceJoiningAndLaterOnesTheSilenceSinceTheLast() {
        assertThat(activity.messagePosted(GUILD, MEMBER, day(40), JOINED)).isEqualTo(Duration.ofDays(40));
        assertThat(activity.messagePosted(GUILD, MEMBER, day(50), JOINED)).isEqualTo(Duration.ofDays(10));
        assertThat(activity.messagePosted(GUILD, MEMBER, day(50).plusSeconds(60), JOINED))
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void postingInOneGuildDoesNotEndASilenceInAnother() {
        activity.messagePosted(GUILD, MEMBER, day(10), JOINED);

        assertThat(activity.messagePosted(OTHER_GUILD, MEMBER, day(40), JOINED)).isEqualTo(Duration.ofDays(40));
        assertThat(activity.messagePosted(GUILD, MEMBER, day(40), JOINED)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void theLastMessageIsRememberedByANewProcess() {
        activity.messagePosted(GUILD, MEMBER, day(10), JOINED);

        MemberActivity restarted = new MemberActivity(store());

        assertThat(restarted.messagePosted(GUILD, MEMBER, day(12), JOINED)).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void aMemberWhoRejoinedIsSilentSinceRejoining() {
        activity.messagePosted(GUILD, MEMBER, day(10), JOINED);

        assertThat(activity.messagePosted(GUILD, MEMBER, day(40), day(35))).isEqualTo(Duration.ofDays(5));
    }

    @Test
    void aMemberPostingOftenIsWrittenAtMostOncePerPrecisionAndNeverMeasuredLongerThanThat() {
        Instant start = day(3);
        for (int minute = 0; minute <= 150; minute += 10) {
            Duration silence = activity.messagePosted(GUILD, MEMBER, start.plus(Duration.ofMinutes(minute)), JOINED);
            if (minute > 0) {
                assertThat(silence).isLessThan(Duration.ofMinutes(10).plus(MemberActivity.PRECISION));
            }
        }

        assertThat(backend.calls(Call.WRITE)).as("at 0, 60 and 120 minutes").isEqualTo(3);
    }

    @Test
    void idsMustBeSnowflakes() {
        assertThatThrownBy(() -> activity.messagePosted("0123", MEMBER, day(1), JOINED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("guildId must be a Discord snowflake");
        assertThatThrownBy(() -> activity.messagePosted(GUILD, "x", day(1), JOINED))
                .hasMessageStartingWith("memberId must be a Discord snowflake");
        assertThat(backend.calls(Call.WRITE)).isZero();
    }
}
