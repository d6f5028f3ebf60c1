package dev.configstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.configstore.StoreException;
import dev.configstore.StoreException.Reason;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Every SQLSTATE the store translates, as the server reports it, without a server: the reason,
 * and a message that says what is wrong and what to do. Failures a test can cause on a real
 * server are in {@link PostgresFaultsTest}.
 */
class PostgresErrorsTest {

    private static final String SERVER = "schema configstore on db:5432/bot";

    /** A failure as the driver builds it from the server's error response. */
    private static PSQLException server(String sqlState, String message) {
        return new PSQLException(new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message + "\0"));
    }

    private static StoreException translate(SQLException e) {
        return new PostgresErrors(SERVER, Duration.ofSeconds(5))
                .translate(e, "guild_config", "setting flags of guild 1");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "08006 | UNAVAILABLE     | Cannot reach PostgreSQL | true",
                "08001 | UNAVAILABLE     | running and reachable | true",
                "57P01 | UNAVAILABLE     | Cannot reach PostgreSQL | true",
                "57P03 | UNAVAILABLE     | Cannot reach PostgreSQL | true",
                "28P01 | UNAVAILABLE     | user name and password | true",
                "3D000 | UNAVAILABLE     | CREATE DATABASE | true",
                "53300 | UNAVAILABLE     | max_connections | true",
                "40001 | BUSY            | serialization failure | false",
                "40P01 | BUSY            | deadlock | false",
                "55P03 | BUSY            | busy timeout (5000 ms) | false",
                "57014 | BUSY            | cancelled | false",
                "53100 | STORAGE_FULL    | Free disk space on the server | false",
                "25006 | READ_ONLY       | default_transaction_read_only | false",
                "42501 | READ_ONLY       | Grant the role | true",
                "3F000 | SCHEMA_OUTDATED | Run the migrations | false",
                "42883 | SCHEMA_OUTDATED | PostgreSQL 13 or newer | true",
                "23505 | CONSTRAINT      | refused a change | true",
                "23514 | CONSTRAINT      | constraint or trigger | true",
                "22001 | CONSTRAINT      | too long | true",
                "XX001 | CORRUPT         | Restore from a backup | true",
                "25P02 | UNKNOWN         | first failure | false",
                "XX000 | UNKNOWN         | SQLSTATE XX000 | true",
            })
    void eachSqlStateHasItsReasonAndAnOperatorMessage(
            String sqlState, Reason reason, String advice, boolean quotesTheServer) {
        PSQLException failure = server(sqlState, "the server's own words");

        StoreException translated = translate(failure);

        assertThat(translated.reason()).isEqualTo(reason);
        assertThat(translated).hasMessageContaining(advice).hasCause(failure);
        if (quotesTheServer) {
            assertThat(translated).hasMessageContaining("the server's own words");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "column \"flags_channel_id\" of relation \"guild_config\" does not exist | guild_config | flags_channel_id",
                "column \"flags_channel_id\" does not exist                              | guild_config | flags_channel_id",
                "column t.version does not exist                                         | guild_config | version",
                "column excluded.silent_first_msg_days does not exist                    | guild_config | silent_first_msg_days",
                "record \"new\" has no field \"version\"                                 | guild_config | version",
                "column \"value\" of relation \"configstore_kv\" does not exist          | configstore_kv | value",
                "Spalte \"flags_channel_id\" existiert nicht                             | guild_config | flags_channel_id",
            })
    void aMissingColumnIsNamedWithItsTable(String serverMessage, String table, String column) {
        StoreException translated = translate(server("42703", serverMessage));

        assertThat(translated.reason()).isEqualTo(Reason.SCHEMA_OUTDATED);
        assertThat(translated)
                .hasMessage("Database schema is outdated: table " + table + " has no column " + column
                        + ". Run the migrations (or restart the bot, which runs them), then try again.");
    }

    @Test
    void aMissingTableIsNamedWithTheSchema() {
        StoreException translated =
                translate(server("42P01", "relation \"configstore.configstore_kv\" does not exist"));

        assertThat(translated.reason()).isEqualTo(Reason.SCHEMA_OUTDATED);
        assertThat(translated)
                .hasMessage("Database schema is outdated: table configstore_kv does not exist in " + SERVER
                        + ". Run the migrations (or restart the bot, which runs them), then try again.");
    }

    @Test
    void aPoolWithNoFreeConnectionIsUnavailableAndSaysSo() {
        StoreException translated = translate(new SQLTransientConnectionException("request timed out"));

        assertThat(translated.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(translated).hasMessageContaining("every pooled connection is in use");
    }

    @Test
    void aPoolThatCannotConnectSaysWhyNotThatItIsFull() {
        PSQLException refused = server("08001", "Connection refused");
        StoreException translated =
                translate(new SQLTransientConnectionException("request timed out", "08001", refused));

        assertThat(translated.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(translated)
                .hasMessageContaining("Cannot reach PostgreSQL")
                .hasMessageContaining("Connection refused");
    }

    @Test
    void onlyAnUnusableConnectionMakesAWritesOutcomeUnknown() {
        assertThat(PostgresErrors.isLostConnection(server("08006", "I/O error")))
                .isTrue();
        assertThat(PostgresErrors.isLostConnection(server("57P01", "terminating connection")))
                .isTrue();
        assertThat(PostgresErrors.isLostConnection(server("23505", "duplicate key")))
                .isFalse();
        assertThat(PostgresErrors.isLostConnection(server("40001", "could not serialize")))
                .isFalse();
        assertThat(PostgresErrors.isLostConnection(
                        new SQLException("socket closed", null, new java.io.IOException("reset"))))
                .isTrue();
    }
}
