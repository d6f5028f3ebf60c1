package dev.configstore.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a test class only if a database server answers, and otherwise skips it with a message
 * saying how to start or point to one; with the server's {@code CONFIGSTORE_REQUIRE_*} switch on
 * ({@code 1}, {@code true} or {@code yes}, as in CI), a server that does not answer fails the tests
 * instead. The server is found through its JDBC driver on the test class path.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(RequiresServer.Condition.class)
public @interface RequiresServer {

    /**
     * Which server.
     *
     * @return the server
     */
    Server value();

    /** The servers configstore's tests use. */
    enum Server {
        /** PostgreSQL: {@code CONFIGSTORE_PG_URL}, by default the local test server. */
        POSTGRES(
                "PostgreSQL",
                "CONFIGSTORE_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "CONFIGSTORE_REQUIRE_PG",
                "service postgresql start, with a database named test that the user postgres may reach without a"
                        + " password"),
        /** MariaDB: {@code CONFIGSTORE_MYSQL_URL}, by default the local test server. */
        MARIADB(
                "MariaDB",
                "CONFIGSTORE_MYSQL_URL",
                "jdbc:mariadb://127.0.0.1:3306/test?user=root",
                "CONFIGSTORE_REQUIRE_MYSQL",
                "start-stop-daemon --start --background --exec /usr/sbin/mariadbd, with a user root that needs no"
                        + " password");

        private final String title;
        private final String urlVariable;
        private final String defaultUrl;
        private final String requireVariable;
        private final String howToStart;

        Server(String title, String urlVariable, String defaultUrl, String requireVariable, String howToStart) {
            this.title = title;
            this.urlVariable = urlVariable;
            this.defaultUrl = defaultUrl;
            this.requireVariable = requireVariable;
            this.howToStart = howToStart;
        }

        /**
         * The server's JDBC URL: its environment variable, or the local test server.
         *
         * @return the URL
         */
        public String url() {
            String url = System.getenv(urlVariable);
            return url == null || url.isBlank() ? defaultUrl : url.trim();
        }

        /** The URL for messages, with any password hidden. */
        String shownUrl() {
            return url().replaceAll("(?i)(password=)[^&]*", "$1…");
        }

        /** Why the server cannot be used, or null if it answers. */
        @Nullable
        String unavailable() {
            DriverManager.setLoginTimeout(3);
            try (Connection connection = DriverManager.getConnection(url())) {
                return connection.isValid(3) ? null : "the connection is not valid";
            } catch (SQLException | RuntimeException e) {
                return e.toString();
            }
        }
    }

    /** The check behind the annotation. */
    final class Condition implements ExecutionCondition {

        private static final java.util.Set<Server> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

        /** Creates the check; JUnit does. */
        public Condition() {}

        /**
         * Whether a {@code CONFIGSTORE_REQUIRE_*} switch is on: 1, true or yes (in any case) are;
         * unset, empty, 0, false or no are not; anything else is refused, rather than skipping the
         * tests a CI run meant to require.
         *
         * @param variable the switch's name, for the message
         * @param value its value, or null
         * @return whether it is on
         */
        public static boolean required(String variable, @Nullable String value) {
            String setting = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (setting) {
                case "1", "true", "yes" -> true;
                case "", "0", "false", "no" -> false;
                default ->
                    throw new IllegalStateException(variable + " must be 1, true or yes (to fail the tests that cannot"
                            + " run here) or 0, false or no (to skip them), got \"" + value + "\"");
            };
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            // Found on the class or on an annotation of it, such as a module's @RequiresPostgres.
            Server server = AnnotationSupport.findAnnotation(context.getTestClass(), RequiresServer.class)
                    .map(RequiresServer::value)
                    .orElseThrow(() -> new IllegalStateException("@RequiresServer is missing"));
            boolean required = required(server.requireVariable, System.getenv(server.requireVariable));
            String unavailable = server.unavailable();
            if (unavailable == null) {
                return ConditionEvaluationResult.enabled(server.title + " answers at " + server.shownUrl());
            }
            String message = "No " + server.title + " server answers at " + server.shownUrl() + " (" + unavailable
                    + "). Start one (for example: " + server.howToStart + "), or point the tests at one with "
                    + server.urlVariable + "=….";
            if (required) {
                throw new IllegalStateException(
                        message + " " + server.requireVariable + " is set, so this fails instead of skipping.");
            }
            if (WARNED.add(server)) {
                // Once per server and test JVM, where the build's output shows it, not only in reports.
                System.err.println("Skipping the tests that need " + server.title + ". " + message);
            }
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
