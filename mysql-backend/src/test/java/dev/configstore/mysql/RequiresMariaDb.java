package dev.configstore.mysql;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class only if the MariaDB test server answers, and otherwise skips it with a
 * message saying how to point the tests at a server. With {@code CONFIGSTORE_REQUIRE_MYSQL=1} (or
 * {@code true}, {@code yes}; as in CI), a server that does not answer fails the tests instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresMariaDb.Condition.class)
@interface RequiresMariaDb {

    /** The check behind the annotation. */
    final class Condition implements ExecutionCondition {

        static final String REQUIRE = "CONFIGSTORE_REQUIRE_MYSQL";
        private static final Logger log = LoggerFactory.getLogger(RequiresMariaDb.class);
        private static volatile boolean warned;

        /**
         * Whether {@value #REQUIRE} asks for a server: 1, true or yes (in any case) do; unset,
         * empty, 0, false or no do not; anything else is refused, rather than skipping the tests
         * a CI run meant to require.
         */
        static boolean required(@Nullable String value) {
            String setting = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (setting) {
                case "1", "true", "yes" -> true;
                case "", "0", "false", "no" -> false;
                default ->
                    throw new IllegalStateException(REQUIRE + " must be 1, true or yes (to fail when no MariaDB"
                            + " server answers) or 0, false or no (to skip those tests), got \"" + value + "\"");
            };
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            // Read first, so that a mistyped value fails even when the server answers.
            required(System.getenv(REQUIRE));
            String unavailable = TestServer.unavailable();
            if (unavailable == null) {
                return ConditionEvaluationResult.enabled("MariaDB answers at " + TestServer.shownUrl());
            }
            String message = "No MariaDB server answers at " + TestServer.shownUrl() + " (" + unavailable
                    + "). Start one (for example: apt-get install mariadb-server && service mariadb start, or"
                    + " docker run -d -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 -e MARIADB_DATABASE=test"
                    + " mariadb:10.11), or point the tests at one with"
                    + " CONFIGSTORE_MYSQL_URL=jdbc:mariadb://host:port/database?user=… (the user must be allowed to"
                    + " create databases and triggers).";
            if (required(System.getenv(REQUIRE))) {
                throw new IllegalStateException(
                        message + " " + REQUIRE + " is set, so this fails instead of skipping.");
            }
            if (!warned) {
                warned = true;
                log.warn("Skipping the MariaDB tests. {}", message);
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
