package dev.configstore.examples.cli;

import dev.configstore.testkit.RequiresServer;
import dev.configstore.testkit.RequiresServer.Server;

/** Every command of the tool on MariaDB, in a database of its own per test. */
@RequiresServer(Server.MARIADB)
class CliMariaDbTest extends CliServerTests {

    @Override
    Server server() {
        return Server.MARIADB;
    }

    @Override
    String table(String name) {
        return "`" + schema + "`." + name;
    }

    @Override
    String dropSchema(String name) {
        return "DROP DATABASE IF EXISTS `" + name + "`";
    }

    @Override
    String countSchema(String name) {
        return "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'";
    }

    @Override
    String[] dropKeyValueTrigger() {
        return new String[] {
            "DROP TRIGGER `" + schema + "`.configstore_kv_ai", "create trigger configstore_kv_ai on configstore_kv"
        };
    }
}
