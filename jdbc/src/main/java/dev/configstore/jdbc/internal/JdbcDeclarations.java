package dev.configstore.jdbc.internal;

import dev.configstore.StoreException;
import dev.configstore.jdbc.DeclaredApplication;
import dev.configstore.settings.Codec;
import dev.configstore.settings.SettingDeclaration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of declared settings: table {@code configstore_declarations}, one row per application
 * and key, and table {@code configstore_applications}, one row per application with the version of
 * its declarations. An application's declarations are written in one transaction, only when they
 * differ from the record; another application's declaration of the same key must agree on type,
 * scopes, data rules and default, or nothing is written.
 */
public final class JdbcDeclarations {

    /** The declarations' table. */
    public static final String TABLE = "configstore_declarations";

    /** The applications' table, with the version of each one's declarations. */
    public static final String APPLICATIONS = "configstore_applications";

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.settings");

    private static final Pattern APPLICATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private static final Codec<List<String>> TEXTS = Codec.list(Codec.string());

    private final JdbcDatabase database;
    private final boolean readOnly;
    private final String selectAll;
    private final String selectVersion;
    private final String deleteApplication;
    private final String insert;
    private final String insertVersion;
    private final String updateVersion;

    /**
     * Creates the record's access.
     *
     * @param database the database
     * @param dialect its SQL
     * @param readOnly whether the store was opened read-only, so that the record is never written
     */
    public JdbcDeclarations(JdbcDatabase database, SqlDialect dialect, boolean readOnly) {
        this.database = database;
        this.readOnly = readOnly;
        String table = dialect.table(TABLE);
        String applications = dialect.table(APPLICATIONS);
        String key = dialect.column("key");
        this.selectAll = "SELECT d.application, a.version, d." + key + ", d.type, d.scopes, d.rules, d.custom_rules,"
                + " d.default_value, d.environment, d.description FROM " + table + " d JOIN " + applications
                + " a ON a.application = d.application ORDER BY d.application, d.position";
        this.selectVersion = "SELECT version FROM " + applications + " WHERE application = ?";
        this.deleteApplication = "DELETE FROM " + table + " WHERE application = ?";
        this.insert = "INSERT INTO " + table + " (application, " + key + ", position, type, scopes, rules,"
                + " custom_rules, default_value, environment, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertVersion = "INSERT INTO " + applications + " (application, version, updated_at_s) VALUES (?, ?, ?)";
        this.updateVersion = "UPDATE " + applications + " SET version = ?, updated_at_s = ? WHERE application = ?";
    }

    /**
     * Checks an application's name.
     *
     * @param application the name
     * @return the name
     * @throws IllegalArgumentException unless it is 1 to 64 letters, digits, {@code _}, {@code .}
     *     or {@code -}, starting with a letter or digit
     */
    public static String requireApplication(String application) {
        if (application == null || !APPLICATION.matcher(application).matches()) {
            throw new IllegalArgumentException("An application's name must be 1 to 64 letters, digits, '_', '.' or"
                    + " '-', starting with a letter or digit, got "
                    + (application == null ? "null" : "\"" + application + "\""));
        }
        return application;
    }

    /**
     * Reads the whole record.
     *
     * @return every application that recorded declarations, in order of their names, each with its
     *     declarations in the order it declared them
     * @throws StoreException if the record cannot be read
     */
    public List<DeclaredApplication> read() {
        return database.read(TABLE, "reading the declared settings", this::read);
    }

    private List<DeclaredApplication> read(Connection connection) throws SQLException {
        Map<String, Long> versions = new LinkedHashMap<>();
        Map<String, List<SettingDeclaration>> declarations = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(selectAll);
                ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                String application = row.getString(1);
                versions.put(application, row.getLong(2));
                String key = row.getString(3);
                SettingDeclaration declaration;
                try {
                    declaration = new SettingDeclaration(
                            key,
                            row.getString(4),
                            SettingDeclaration.parseScopes(row.getString(5)),
                            TEXTS.decode(row.getString(6)),
                            TEXTS.decode(row.getString(7)),
                            Optional.ofNullable(row.getString(8)),
                            Optional.ofNullable(row.getString(9)),
                            String.valueOf(row.getString(10)));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new StoreException(
                            StoreException.Reason.CORRUPT,
                            "The declaration of setting \"" + key + "\" by application \"" + application + "\" in "
                                    + TABLE + " of " + database.where() + " cannot be read (" + e.getMessage()
                                    + "). Start the application again to write its declarations anew, or delete"
                                    + " the row.",
                            e);
                }
                declarations
                        .computeIfAbsent(application, a -> new ArrayList<>())
                        .add(declaration);
            }
        }
        List<DeclaredApplication> result = new ArrayList<>();
        declarations.forEach((application, settings) ->
                result.add(new DeclaredApplication(application, versions.getOrDefault(application, 0L), settings)));
        return result;
    }

    /**
     * Records an application's declarations: refuses them if another application declares one of
     * the keys differently; writes nothing if they are already recorded as they are; otherwise
     * replaces the application's declarations and raises its version, in one transaction. A
     * read-only store, or a database that refuses the write as read-only, checks but writes
     * nothing, and logs that the record is not current.
     *
     * @param application the application's name, already checked
     * @param wanted its declarations, in order
     * @throws IllegalArgumentException if another application declares a key differently; the
     *     message names the key, both applications and the field
     * @throws StoreException if the record cannot be read or written
     */
    public void record(String application, List<SettingDeclaration> wanted) {
        List<DeclaredApplication> recorded = read();
        if (isRecorded(wanted, refuseConflicts(application, wanted, recorded))) {
            return;
        }
        if (readOnly) {
            warnNotRecorded(application, "the store is read-only");
            return;
        }
        try {
            long version = database.transaction(TABLE, "recording the declared settings of " + application, c -> {
                // Again inside the transaction: another process may have written meanwhile.
                List<DeclaredApplication> now = read(c);
                if (isRecorded(wanted, refuseConflicts(application, wanted, now))) {
                    return -1L;
                }
                return write(c, application, wanted);
            });
            if (version > 0) {
                log.info(
                        "{}: recorded the {} declared settings of application {} (version {})",
                        database.where(),
                        wanted.size(),
                        application,
                        version);
            }
        } catch (StoreException e) {
            if (e.reason() != StoreException.Reason.READ_ONLY) {
                throw e;
            }
            warnNotRecorded(application, "the database refused the write as read-only (" + e.getMessage() + ")");
        }
    }

    private void warnNotRecorded(String application, String why) {
        log.warn(
                "{}: the declared settings of application {} differ from the record in {}, and are not recorded:"
                        + " {}. The application uses its own declarations; tools see the record as it is.",
                database.where(),
                application,
                TABLE,
                why);
    }

    /** Throws if another application declares one of the keys differently; returns the application's own. */
    private static @Nullable DeclaredApplication refuseConflicts(
            String application, List<SettingDeclaration> wanted, List<DeclaredApplication> recorded) {
        DeclaredApplication own = null;
        for (DeclaredApplication other : recorded) {
            if (other.name().equals(application)) {
                own = other;
                continue;
            }
            for (SettingDeclaration theirs : other.settings()) {
                for (SettingDeclaration mine : wanted) {
                    if (!mine.key().equals(theirs.key())) {
                        continue;
                    }
                    Optional<String> difference = mine.difference(theirs);
                    if (difference.isPresent()) {
                        throw new IllegalArgumentException("Setting \"" + mine.key() + "\" is declared differently by"
                                + " application \"" + application + "\" and by application \"" + other.name()
                                + "\", which recorded it before: "
                                + difference
                                        .get()
                                        .replace(" here,", " in \"" + application + "\",")
                                        .replace(" there", " in \"" + other.name() + "\"")
                                + ". Applications that share a database must agree on a shared key's type, scopes,"
                                + " data rules and default; rename the key in one of them or make them agree."
                                + " Nothing was recorded.");
                    }
                }
            }
        }
        return own;
    }

    private static boolean isRecorded(List<SettingDeclaration> wanted, @Nullable DeclaredApplication own) {
        return own == null ? wanted.isEmpty() : own.settings().equals(wanted);
    }

    /**
     * Writes an application's record exactly as given, its version included, on a connection
     * inside a transaction the caller runs: a tool's import of an export.
     *
     * @param connection the transaction's connection
     * @param application the application's record
     * @throws SQLException if a statement fails
     */
    public void restore(Connection connection, DeclaredApplication application) throws SQLException {
        write(connection, application.name(), application.settings(), application.version());
    }

    private long write(Connection connection, String application, List<SettingDeclaration> wanted) throws SQLException {
        return write(connection, application, wanted, 0);
    }

    /** Replaces the application's rows; sets its version to {@code version}, or one more if 0. */
    private long write(Connection connection, String application, List<SettingDeclaration> wanted, long version)
            throws SQLException {
        long now = System.currentTimeMillis() / 1000;
        try (PreparedStatement delete = connection.prepareStatement(deleteApplication)) {
            delete.setString(1, application);
            delete.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            int position = 0;
            for (SettingDeclaration declaration : wanted) {
                statement.setString(1, application);
                statement.setString(2, declaration.key());
                statement.setInt(3, position++);
                statement.setString(4, declaration.type());
                statement.setString(5, declaration.scopesText());
                statement.setString(6, TEXTS.encode(declaration.rules()));
                statement.setString(7, TEXTS.encode(declaration.customRules()));
                setNullable(statement, 8, declaration.defaultText().orElse(null));
                setNullable(statement, 9, declaration.environmentVariable().orElse(null));
                statement.setString(10, declaration.description());
                statement.executeUpdate();
            }
        }
        long before = 0;
        boolean exists = false;
        try (PreparedStatement select = connection.prepareStatement(selectVersion)) {
            select.setString(1, application);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    before = row.getLong(1);
                    exists = true;
                }
            }
        }
        long next = version > 0 ? version : before + 1;
        try (PreparedStatement statement = connection.prepareStatement(exists ? updateVersion : insertVersion)) {
            if (exists) {
                statement.setLong(1, next);
                statement.setLong(2, now);
                statement.setString(3, application);
            } else {
                statement.setString(1, application);
                statement.setLong(2, next);
                statement.setLong(3, now);
            }
            statement.executeUpdate();
        }
        return next;
    }

    private static void setNullable(PreparedStatement statement, int index, @Nullable String text) throws SQLException {
        if (text == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, text);
        }
    }
}
