package dev.configstore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Checks that the footprint measurement runs and finds what it must; the numbers go to the docs. */
class MemoryFootprintTest {

    @Test
    void measuresAPositiveOverheadOnTopOfTheGuildsOwnData() {
        MemoryFootprint.Footprint footprint = MemoryFootprint.measure(200);

        assertThat(footprint.guildDataBytesPerGuild()).isPositive();
        assertThat(footprint.storeBytesPerGuild()).isGreaterThan(footprint.guildDataBytesPerGuild());
    }

    @Test
    void keepsOneEntryAndNoLoadGuardPerCachedGuild() {
        MemoryFootprint.Footprint footprint = MemoryFootprint.measure(200);

        assertThat(footprint.byClass())
                .filteredOn(share -> share.className().equals("dev.configstore.CacheEntry"))
                .singleElement()
                .satisfies(share -> assertThat(share.objectsPerGuild()).isEqualTo(1.0));
        assertThat(footprint.byClass())
                .as("a finished load leaves nothing behind")
                .noneSatisfy(share -> assertThat(share.className()).isEqualTo("dev.configstore.KeyGuard"));
    }
}
