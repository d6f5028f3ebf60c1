package dev.configstore.sqlite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Run as a child process: another program writing the bot's table with plain SQL, as a dashboard
 * would. For each line {@code <guild> <channel>} it reads, it updates the guild's logging channel
 * and prints the time (epoch microseconds) taken just before the commit.
 */
public final class ExternalWriter {

    private ExternalWriter() {}

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE guild_config SET logging_channel_id = ? WHERE guild_id = ?")) {
            connection.createStatement().execute("PRAGMA busy_timeout = 10000");
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            System.out.flush();
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                int space = line.indexOf(' ');
                update.setString(1, line.substring(space + 1));
                update.setString(2, line.substring(0, space));
                long before = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                update.executeUpdate();
                System.out.println(before);
                System.out.flush();
            }
        }
    }
}
