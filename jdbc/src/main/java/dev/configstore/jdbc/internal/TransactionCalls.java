package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The calls of one transaction's work on its connection: each translated, refused once the
 * transaction has ended, and, where a failed statement aborts the transaction, the first failure
 * kept so the transaction fails even if the work caught it and returned.
 */
final class TransactionCalls {

    /** Makes a transaction's operations on its connection. */
    @FunctionalInterface
    interface Operations<O> {
        /**
         * Makes the operations.
         *
         * @param connection the transaction's connection
         * @param calls how the operations call it
         * @param changes where the operations note the keys they changed and the versions written
         * @return the operations
         */
        O on(Connection connection, TransactionCalls calls, List<Map.Entry<String, Long>> changes);
    }

    /**
     * Runs {@code work} over operations on one transaction's connection; once it has committed,
     * passes each change the operations noted to {@code ownChange}.
     */
    static <O, T> T run(
            JdbcDatabase database,
            SqlDialect dialect,
            String table,
            String what,
            Operations<O> operations,
            Function<? super O, ? extends T> work,
            BiConsumer<String, Long> ownChange) {
        List<Map.Entry<String, Long>> changes = new ArrayList<>();
        T result = database.transaction(table, what, c -> {
            TransactionCalls calls = new TransactionCalls(database, dialect, table);
            try {
                T done = work.apply(operations.on(c, calls, changes));
                calls.rethrowFirstFailure();
                return done;
            } finally {
                calls.end();
            }
        });
        changes.forEach(change -> ownChange.accept(change.getKey(), change.getValue()));
        return result;
    }

    private final JdbcDatabase database;
    private final SqlDialect dialect;
    private final String table;
    private volatile boolean active = true;
    private @Nullable StoreException firstFailure;

    private TransactionCalls(JdbcDatabase database, SqlDialect dialect, String table) {
        this.database = database;
        this.dialect = dialect;
        this.table = table;
    }

    <T> T call(String what, SqlCall<T> call) {
        if (!active) {
            throw new IllegalStateException("the transaction has ended; use its operations only inside its work");
        }
        try {
            return call.run();
        } catch (SQLException e) {
            StoreException failure = database.translate(e, table, what);
            if (firstFailure == null) {
                firstFailure = failure;
            }
            throw failure;
        }
    }

    /**
     * Throws the first failure if the database aborted the transaction at it: committing now would
     * silently roll back what the work did.
     */
    void rethrowFirstFailure() {
        StoreException failure = firstFailure;
        if (failure != null && dialect.failedStatementAbortsTransaction()) {
            throw failure;
        }
    }

    void end() {
        active = false;
    }
}
