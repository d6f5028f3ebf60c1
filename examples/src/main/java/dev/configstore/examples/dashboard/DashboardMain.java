package dev.configstore.examples.dashboard;

import dev.configstore.StoreException;
import dev.configstore.examples.bot.BotSettings;
import dev.configstore.examples.cli.Databases;
import dev.configstore.jdbc.ConfigStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts the example dashboard on the example bot's database: {@code DashboardMain [--db FILE|URL]
 * [--schema NAME] [--bind ADDRESS] [--port PORT]}, with the admin token in {@value
 * Dashboard#TOKEN_VARIABLE}. See {@code docs/dashboard.md}.
 */
public final class DashboardMain {

    /** How often the dashboard reads other processes' changes at the latest: open pages follow within it. */
    static final Duration FEED_INTERVAL = Duration.ofMillis(150);

    private static final String USAGE =
            "Usage: dashboard [--db FILE|URL] [--schema NAME] [--bind ADDRESS] [--port PORT]" + " (the admin token in "
                    + Dashboard.TOKEN_VARIABLE + ")";

    private DashboardMain() {}

    /**
     * Runs the dashboard until the process is stopped.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.err));
    }

    /** Runs the dashboard; returns the exit code once stopped, or at once on a problem (2). */
    static int run(String[] args, Map<String, String> environment, PrintStream err) {
        String db = "configstore.db";
        String schema = "configstore";
        String bind = "127.0.0.1";
        int port = 8080;
        List<String> list = List.of(args);
        try {
            for (int i = 0; i < list.size(); i++) {
                String option = list.get(i);
                if (option.equals("--help") || option.equals("-h")) {
                    err.println(USAGE);
                    return 0;
                }
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException("unknown option or missing value: " + option + ". " + USAGE);
                }
                String value = list.get(++i);
                switch (option) {
                    case "--db" -> db = value;
                    case "--schema" -> schema = value;
                    case "--bind" -> bind = value;
                    case "--port" -> port = port(value);
                    default -> throw new IllegalArgumentException("unknown option " + option + ". " + USAGE);
                }
            }
            // Checked before anything is opened: no token, no start.
            Access.of(environment.get(Dashboard.TOKEN_VARIABLE));
        } catch (IllegalArgumentException e) {
            err.println("dashboard: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try {
            return serve(db, schema, new InetSocketAddress(bind, port), environment, err, stopped, closed);
        } finally {
            closed.countDown();
        }
    }

    private static int serve(
            String db,
            String schema,
            InetSocketAddress address,
            Map<String, String> environment,
            PrintStream err,
            CountDownLatch stopped,
            CountDownLatch closed) {
        try (ConfigStore store = Databases.openLive(db, schema, environment, "dashboard", FEED_INTERVAL);
                Dashboard dashboard = Dashboard.start(
                        store,
                        store.settings(BotSettings.schema(environment)),
                        environment.get(Dashboard.TOKEN_VARIABLE),
                        address)) {
            err.println("dashboard: serving " + Databases.shown(db, schema) + " on " + dashboard.uri()
                    + " (stop with Ctrl-C)");
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                // Stopped (Ctrl-C): let the main thread close the dashboard and the store.
                                stopped.countDown();
                                try {
                                    closed.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "configstore-dashboard-stop"));
            stopped.await();
            return 0;
        } catch (IllegalArgumentException | StoreException | IOException e) {
            err.println("dashboard: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a port number from 0 to 65535, got \"" + text + "\"", e);
        }
    }
}
