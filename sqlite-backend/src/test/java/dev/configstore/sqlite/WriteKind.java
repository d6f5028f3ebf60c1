package dev.configstore.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every way the SQLite store writes, as the fault matrix drives it: each kind owns its own key or
 * guild, writes value {@code N} on request, and says what the store serves and what the file
 * holds, in the same words, so the two can be compared.
 */
enum WriteKind {
    KV_PUT_NEW,
    KV_UPDATE,
    KV_REMOVE,
    KV_TRANSACTION,
    KV_WRITE_THROUGH,
    LOGGING_SET,
    LOGGING_CLEAR,
    FLAGS_CHANNEL_SET,
    FLAGS_CHANNEL_CLEAR,
    SILENT_DAYS_SET,
    SILENT_DAYS_CLEAR;

    private static final String ABSENT = "-";

    boolean isGuild() {
        return !name().startsWith("KV_");
    }

    String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    String guildId() {
        return String.format("1%017d", name().hashCode() & 0xffffff);
    }

    static String channel(int n) {
        return String.format("2%017d", n);
    }

    static String guildState(@Nullable String loggingChannel, @Nullable String flagsChannel, int silentDays) {
        return "logging=" + (loggingChannel == null ? ABSENT : loggingChannel) + " flags="
                + (flagsChannel == null ? ABSENT : flagsChannel) + " days=" + silentDays;
    }

    /** Sets the starting state through the store and reads it, so the cache holds it. */
    void prepare(FaultSubject subject) {
        if (isGuild()) {
            subject.logging.setLoggingChannelId(guildId(), channel(0));
            subject.flagger.setFlagsChannelId(guildId(), channel(0));
            subject.flagger.setSilentFirstMsgDays(guildId(), 30);
        } else if (this == KV_TRANSACTION) {
            subject.values.put(key() + ".a", "old");
            subject.values.put(key() + ".b", "old");
        } else if (this == KV_WRITE_THROUGH) {
            subject.writeThroughValues.put(key(), "old");
        } else if (this != KV_PUT_NEW) {
            subject.values.put(key(), "old");
        }
        served(subject);
    }

    /** The state once {@code write(n)} has succeeded. */
    String expected(int n) {
        return switch (this) {
            case KV_PUT_NEW, KV_UPDATE, KV_WRITE_THROUGH -> "v" + n;
            case KV_REMOVE -> ABSENT;
            case KV_TRANSACTION -> "v" + n + ",v" + n;
            case LOGGING_SET -> guildState(channel(n), channel(0), 30);
            case LOGGING_CLEAR -> guildState(null, channel(0), 30);
            case FLAGS_CHANNEL_SET -> guildState(channel(0), channel(n), 30);
            case FLAGS_CHANNEL_CLEAR -> guildState(channel(0), null, 30);
            case SILENT_DAYS_SET -> guildState(channel(0), channel(0), 10 + n);
            case SILENT_DAYS_CLEAR -> guildState(channel(0), channel(0), 7);
        };
    }

    void write(FaultSubject subject, int n) {
        switch (this) {
            case KV_PUT_NEW, KV_UPDATE -> subject.values.put(key(), "v" + n);
            case KV_REMOVE -> subject.values.remove(key());
            case KV_TRANSACTION ->
                subject.values.inTransaction(tx -> {
                    tx.put(key() + ".a", "v" + n);
                    tx.put(key() + ".b", "v" + n);
                    return null;
                });
            case KV_WRITE_THROUGH -> subject.writeThroughValues.put(key(), "v" + n);
            case LOGGING_SET -> subject.logging.setLoggingChannelId(guildId(), channel(n));
            case LOGGING_CLEAR -> subject.logging.clearLoggingChannelId(guildId());
            case FLAGS_CHANNEL_SET -> subject.flagger.setFlagsChannelId(guildId(), channel(n));
            case FLAGS_CHANNEL_CLEAR -> subject.flagger.clearFlagsChannelId(guildId());
            case SILENT_DAYS_SET -> subject.flagger.setSilentFirstMsgDays(guildId(), 10 + n);
            case SILENT_DAYS_CLEAR -> subject.flagger.clearSilentFirstMsgDays(guildId());
        }
    }

    /** What the store serves now. */
    String served(FaultSubject subject) {
        return switch (this) {
            case KV_TRANSACTION ->
                shown(subject.values.get(key() + ".a")) + "," + shown(subject.values.get(key() + ".b"));
            case KV_WRITE_THROUGH -> shown(subject.writeThroughValues.get(key()));
            default -> isGuild() ? subject.guildState(guildId()) : shown(subject.values.get(key()));
        };
    }

    /** How often the store behind this kind has read the database so far. */
    long loads(FaultSubject subject) {
        if (isGuild()) {
            return subject.store.guildConfig().stats().loads();
        }
        return (this == KV_WRITE_THROUGH ? subject.writeThroughValues : subject.values)
                .stats()
                .loads();
    }

    /** Drops the cached entries, as their expiry would. */
    void expire(FaultSubject subject) {
        if (isGuild()) {
            subject.store.guildConfig().store().invalidate(guildId());
        } else {
            (this == KV_WRITE_THROUGH ? subject.writeThroughValues : subject.values).invalidateAll();
        }
    }

    /** What the file holds, read on {@code connection} of the test's own. */
    String stored(Connection connection) throws SQLException {
        if (isGuild()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT logging_channel_id, flags_channel_id, silent_first_msg_days FROM guild_config"
                            + " WHERE guild_id = ?")) {
                statement.setString(1, guildId());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return guildState(null, null, 7);
                    }
                    int days = row.getInt(3);
                    boolean noDays = row.wasNull();
                    return guildState(row.getString(1), row.getString(2), noDays ? 7 : days);
                }
            }
        }
        if (this == KV_TRANSACTION) {
            return storedValue(connection, key() + ".a") + "," + storedValue(connection, key() + ".b");
        }
        return storedValue(connection, key());
    }

    private static String storedValue(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT value FROM configstore_kv WHERE namespace = ? AND key = ?")) {
            statement.setString(1, FaultSubject.NAMESPACE);
            statement.setString(2, key);
            try (ResultSet row = statement.executeQuery()) {
                String value = row.next() ? row.getString(1) : null;
                return value == null ? ABSENT : value;
            }
        }
    }

    private static String shown(Optional<String> value) {
        return value.orElse(ABSENT);
    }
}
