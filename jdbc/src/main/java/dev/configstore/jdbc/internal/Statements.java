package dev.configstore.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Small pieces of JDBC the backends share. */
final class Statements {

    private Statements() {}

    /**
     * Runs an upsert and returns the version it wrote. The result is read to its end: SQLite
     * finishes a statement (and, outside a transaction, commits it) only when it is stepped past
     * its last row, and reports a failure there, not when the first row is read.
     */
    static long returnedVersion(PreparedStatement statement) throws SQLException {
        try (ResultSet returned = statement.executeQuery()) {
            if (!returned.next()) {
                throw new SQLException("the upsert returned no version");
            }
            long version = returned.getLong(1);
            if (returned.next()) {
                throw new SQLException("the upsert returned more than one row");
            }
            return version;
        }
    }

    /** Checks a page of a listing: an offset not negative, a limit from 1 to 10,000. */
    static void requirePage(long offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
        }
    }

    /** The first column of every row a query returns, as text. */
    static List<String> strings(PreparedStatement statement) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** Binds a setting's value: NULL (typed as its column), a whole number or text. */
    static void bind(PreparedStatement statement, int index, boolean integer, @Nullable Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, integer ? Types.INTEGER : Types.VARCHAR);
        } else if (value instanceof Integer number) {
            statement.setInt(index, number);
        } else {
            statement.setString(index, (String) value);
        }
    }
}
