package dev.configstore.jdbc.internal;

/**
 * What the SQL of every server database shares: tables qualified by the store's quoted schema,
 * and the defaults of {@link SqlDialect} (the server's clock, {@code GREATEST}, a failed
 * statement aborting its transaction).
 *
 * @param <D> the server's database
 */
public abstract class ServerSql<D extends ServerDatabase> implements SqlDialect {

    /** The database whose schema qualifies the tables. */
    protected final D database;

    private final String versionFloorAndNow;
    private final String shell;

    /**
     * Makes the dialect of a database.
     *
     * @param database the database
     * @param versionFloorAndNow see {@link #versionFloorAndNow()}: the server's clock in the statement
     * @param shell see {@link #shell()}
     */
    protected ServerSql(D database, String versionFloorAndNow, String shell) {
        this.database = database;
        this.versionFloorAndNow = versionFloorAndNow;
        this.shell = shell;
    }

    @Override
    public final String versionFloorAndNow() {
        return versionFloorAndNow;
    }

    @Override
    public final String shell() {
        return shell;
    }

    @Override
    public final String table(String name) {
        return database.table(name);
    }
}
