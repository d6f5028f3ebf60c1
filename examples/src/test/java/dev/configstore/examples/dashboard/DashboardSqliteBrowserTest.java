package dev.configstore.examples.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The dashboard's browser tests on a SQLite file. */
class DashboardSqliteBrowserTest extends DashboardBrowserTests {

    private final Path folder;

    DashboardSqliteBrowserTest() throws Exception {
        folder = Files.createTempDirectory("configstore-dashboard");
    }

    @Override
    String db() {
        return folder.resolve("bot.db").toString();
    }

    @Override
    String schema() {
        return "configstore";
    }

    @Override
    List<String> shell(String statement) {
        // persist_wal: without it the shell, taking itself for the last connection as it exits, deletes
        // the write-ahead log the stores have open here, which they then refuse to write past.
        return List.of("sqlite3", "-cmd", ".timeout 5000", "-cmd", ".filectrl persist_wal 1", db(), statement);
    }

    @Override
    String guild(int test) {
        return "10000000000000000" + test;
    }
}
