package dev.configstore.examples.cli;

import dev.configstore.testkit.RequiresServer;
import dev.configstore.testkit.RequiresServer.Server;

/** Every command of the tool on PostgreSQL, in a schema of its own per test. */
@RequiresServer(Server.POSTGRES)
class CliPostgresTest extends CliServerTests {

    @Override
    Server server() {
        return Server.POSTGRES;
    }

    @Override
    String table(String name) {
        return "\"" + schema + "\"." + name;
    }

    @Override
    String dropSchema(String name) {
        return "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE";
    }

    @Override
    String countSchema(String name) {
        return "SELECT count(*) FROM pg_namespace WHERE nspname = '" + name + "'";
    }

    @Override
    String[] dropKeyValueTrigger() {
        return new String[] {
            "DROP TRIGGER configstore_log_change ON " + table("configstore_kv"),
            "create trigger configstore_log_change on configstore_kv"
        };
    }
}
