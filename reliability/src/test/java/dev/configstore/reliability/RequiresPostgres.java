package dev.configstore.reliability;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only if the PostgreSQL server answers, and otherwise skips it with a message
 * saying how to start or point to one. With {@code CONFIGSTORE_REQUIRE_PG=1} (or {@code true},
 * {@code yes}; as in CI), a server that does not answer fails the test instead, as in the
 * PostgreSQL module's tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresPostgres.Condition.class)
@interface RequiresPostgres {

    /** The check behind the annotation. */
    final class Condition implements ExecutionCondition {

        static final String REQUIRE = "CONFIGSTORE_REQUIRE_PG";

        static boolean required(@Nullable String value) {
            return RequireSwitch.on(REQUIRE, value, "when no PostgreSQL server answers");
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean required = required(System.getenv(REQUIRE));
            String unavailable = PostgresTarget.unavailable();
            if (unavailable == null) {
                return ConditionEvaluationResult.enabled("PostgreSQL answers at " + PostgresTarget.shownUrl());
            }
            String message = "No PostgreSQL server answers at " + PostgresTarget.shownUrl() + " (" + unavailable
                    + "). Start one (for example: service postgresql start, with a database named test that the"
                    + " user postgres may reach without a password), or point the test at one with"
                    + " CONFIGSTORE_PG_URL=jdbc:postgresql://host:port/database?user=… (the user must be allowed to"
                    + " create schemas).";
            if (required) {
                throw new IllegalStateException(
                        message + " " + REQUIRE + " is set, so this fails instead of skipping.");
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
