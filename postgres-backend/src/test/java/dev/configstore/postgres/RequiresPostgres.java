package dev.configstore.postgres;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class only if the PostgreSQL test server answers, and otherwise skips it with a
 * message saying how to point the tests at a server. With {@code CONFIGSTORE_REQUIRE_PG=1} (as in
 * CI), a server that does not answer fails the tests instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RequiresPostgres.Condition.class)
@interface RequiresPostgres {

    /** The check behind the annotation. */
    final class Condition implements ExecutionCondition {

        private static final Logger log = LoggerFactory.getLogger(RequiresPostgres.class);
        private static volatile boolean warned;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String unavailable = TestServer.unavailable();
            if (unavailable == null) {
                return ConditionEvaluationResult.enabled("PostgreSQL answers at " + TestServer.shownUrl());
            }
            String message = "No PostgreSQL server answers at " + TestServer.shownUrl() + " (" + unavailable
                    + "). Point the tests at one with CONFIGSTORE_PG_URL=jdbc:postgresql://host:port/database?user=…"
                    + " (the user must be allowed to create schemas).";
            if ("1".equals(System.getenv("CONFIGSTORE_REQUIRE_PG"))) {
                throw new IllegalStateException(
                        message + " CONFIGSTORE_REQUIRE_PG=1 is set, so this fails instead of skipping.");
            }
            if (!warned) {
                warned = true;
                log.warn("Skipping the PostgreSQL tests. {}", message);
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
