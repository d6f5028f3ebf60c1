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
}
