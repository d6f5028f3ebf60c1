package dev.configstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @Test
    void carriesReasonMessageAndCause() {
        IOException cause = new IOException("disk full");

        StoreException e =
                new StoreException(StoreException.Reason.STORAGE_FULL, "The disk is full. Free space.", cause);

        assertThat(e.reason()).isEqualTo(StoreException.Reason.STORAGE_FULL);
        assertThat(e).hasMessage("The disk is full. Free space.").hasCause(cause);
    }

    @Test
    void refusesToBeCreatedWithoutACause() {
        assertThatThrownBy(() -> new StoreException(StoreException.Reason.UNKNOWN, "message", nullCause()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("cause");
    }

    @Test
    void hitRateIsTheShareOfHitsAndOneWhenNothingWasRead() {
        assertThat(new StoreStats(3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0).hitRate()).isEqualTo(0.75);
        assertThat(new StoreStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).hitRate()).isEqualTo(1.0);
    }

    @SuppressWarnings("NullAway")
    private static Throwable nullCause() {
        return null;
    }
}
