package dev.configstore.examples.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;

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
    String guild(int test) {
        return "10000000000000000" + test;
    }
}
