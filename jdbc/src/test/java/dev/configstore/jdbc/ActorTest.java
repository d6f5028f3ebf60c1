package dev.configstore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ActorTest {

    @Test
    void anActorHoldsForItsScopeOnItsThreadAndScopesNest() throws Exception {
        assertThat(Actor.current()).isEmpty();
        Actor.Scope outer = Actor.begin("discord:1");
        try {
            assertThat(Actor.current()).contains("discord:1");
            assertThat(CompletableFuture.supplyAsync(Actor::current).get())
                    .as("another thread")
                    .isEmpty();
            assertThat(Actor.call("os:alice", Actor::current)).contains("os:alice");
            assertThat(Actor.current()).contains("discord:1");
        } finally {
            outer.close();
        }
        outer.close(); // a second close changes nothing
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void theActorIsPutBackWhenTheWritesThrow() {
        assertThatThrownBy(() -> Actor.run("discord:1", () -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRefused() throws Exception {
        Actor.Scope scope = Actor.begin("discord:1");
        try {
            Throwable refused = CompletableFuture.runAsync(scope::close)
                    .handle((ok, failure) -> failure)
                    .get();
            assertThat(refused)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be closed on the thread that began it");
            assertThat(Actor.current()).contains("discord:1");
        } finally {
            scope.close();
        }
    }

    @Test
    void anActorMustBeShortPrintableText() {
        assertThatThrownBy(() -> Actor.begin(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("actor must not be null or blank");
        assertThatThrownBy(() -> Actor.begin("a".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("actor must be at most 200 characters, got 201");
        assertThatThrownBy(() -> Actor.begin("discord:1\nforged line"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor must not hold control characters (such as a line break), got U+000A at index 9");
        assertThat(Actor.current()).isEmpty();
    }

    @Test
    void aHistoryQueryChecksItsPartsAndSaysWhatItReads() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        HistoryQuery query = HistoryQuery.guild("123").key("prefix").since(now).limit(5);

        assertThat(query.target()).isEqualTo(HistoryQuery.Target.GUILD);
        assertThat(query.keyFilter()).contains("prefix");
        assertThat(query.toString())
                .isEqualTo("HistoryQuery[GUILD 123, key prefix, since 2026-03-01T10:00:00Z, limit 5]");
        assertThat(query)
                .isEqualTo(HistoryQuery.guild("123").limit(5).since(now).key("prefix"));
        assertThatThrownBy(() -> query.until(now.minusSeconds(1)))
                .hasMessage("until (2026-03-01T09:59:59Z) must not be before since (2026-03-01T10:00:00Z)");
        assertThatThrownBy(() -> query.limit(0)).hasMessage("limit must be between 1 and 10000, got 0");
        assertThatThrownBy(() -> HistoryQuery.guild(" ")).hasMessage("guildId must not be null or blank");
        assertThatThrownBy(() -> HistoryQuery.namespace("no spaces"))
                .hasMessageStartingWith("namespace must be 1 to 64 letters");
    }
}
