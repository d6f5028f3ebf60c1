package dev.configstore.reliability;

import dev.configstore.testkit.RequiresServer;
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
 * Runs a test class only where it can make PostgreSQL servers of its own ({@link
 * LocalPostgres#unavailable()}), and otherwise skips it with a message saying what is missing.
 * With {@code CONFIGSTORE_REQUIRE_FAILOVER=1} (or {@code true}, {@code yes}; as in CI), what is
 * missing fails the test instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresFailover.Condition.class)
@interface RequiresFailover {

    /** The check behind the annotation. */
    final class Condition implements ExecutionCondition {

        static final String REQUIRE = "CONFIGSTORE_REQUIRE_FAILOVER";

        static boolean required(@Nullable String value) {
            return RequiresServer.Condition.required(REQUIRE, value);
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean required = required(System.getenv(REQUIRE));
            String unavailable = LocalPostgres.unavailable();
            if (unavailable == null) {
                return ConditionEvaluationResult.enabled("PostgreSQL servers can be made here");
            }
            String message = "The failover tests make their own PostgreSQL primary and standby, and cannot here: "
                    + unavailable + ". Run the build as root on a machine with the PostgreSQL server installed"
                    + " (for example: apt-get install postgresql).";
            if (required) {
                throw new IllegalStateException(
                        message + " " + REQUIRE + " is set, so this fails instead of skipping.");
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
