package dev.configstore.reliability;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The {@code CONFIGSTORE_REQUIRE_*} switches: whether a test that cannot run fails instead of skipping. */
final class RequireSwitch {

    private RequireSwitch() {}

    /**
     * Reads a switch's value.
     *
     * @param variable its environment variable, for the message
     * @param value its value, or null if unset
     * @param failWhat what it makes fail, for the message ("when no PostgreSQL server answers")
     * @return whether it is on
     * @throws IllegalStateException for a value that is neither on nor off
     */
    static boolean on(String variable, @Nullable String value, String failWhat) {
        String setting = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "1", "true", "yes" -> true;
            case "", "0", "false", "no" -> false;
            default ->
                throw new IllegalStateException(variable + " must be 1, true or yes (to fail " + failWhat
                        + ") or 0, false or no (to skip those tests), got \"" + value + "\"");
        };
    }
}
