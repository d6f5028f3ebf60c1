package dev.configstore.jdbc;

import dev.configstore.StoreException;
import dev.configstore.internal.Arguments;
import dev.configstore.jdbc.internal.StoreSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a store on a database server ({@code PostgresConfigStore}, {@code
 * MariaDbConfigStore}): those of {@link StoreBuilder}, and how long to wait for the server.
 *
 * @param <B> the database's builder
 * @param <S> the database's store
 */
public abstract class ServerStoreBuilder<B extends ServerStoreBuilder<B, S>, S extends ConfigStore>
        extends StoreBuilder<B, S> {

    private static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(30);

    private @Nullable Duration networkTimeout;

    /**
     * Starts a builder with the database's default change feed interval.
     *
     * @param changeFeedInterval how often the change feed reads at the latest, by default
     */
    protected ServerStoreBuilder(Duration changeFeedInterval) {
        super(changeFeedInterval);
    }

    /**
     * Sets how long an operation waits for the server to answer before its connection counts as
     * lost (failing with {@link StoreException.Reason#UNAVAILABLE}, or {@link
     * StoreException.Reason#UNKNOWN} for a write that may have applied).
     *
     * @param timeout at least 1 ms, at most one hour, and longer than the busy timeout; 30 seconds
     *     by default, or twice the busy timeout if that is longer
     * @return this builder
     * @throws IllegalArgumentException if it is null or out of range
     */
    public B networkTimeout(Duration timeout) {
        Arguments.positiveNanos(timeout, "networkTimeout");
        if (timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("networkTimeout must be at most PT1H, got " + timeout);
        }
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("networkTimeout must be at least 1 ms, got " + timeout);
        }
        this.networkTimeout = timeout;
        return self();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@link #networkTimeout} was set no longer than {@link
     *     #busyTimeout}
     */
    @Override
    @SuppressWarnings("exports")
    protected StoreSettings storeSettings() {
        StoreSettings settings = super.storeSettings();
        Duration busyTimeout = settings.busyTimeout();
        Duration network;
        if (networkTimeout == null) {
            Duration twiceBusy = busyTimeout.multipliedBy(2);
            network = twiceBusy.compareTo(DEFAULT_NETWORK_TIMEOUT) > 0 ? twiceBusy : DEFAULT_NETWORK_TIMEOUT;
        } else if (networkTimeout.compareTo(busyTimeout) <= 0) {
            // A write waiting for a locked row would otherwise count as a lost connection.
            throw new IllegalArgumentException(
                    "networkTimeout must be longer than busyTimeout, got networkTimeout " + networkTimeout
                            + " and busyTimeout " + busyTimeout + "; raise networkTimeout or lower busyTimeout");
        } else {
            network = networkTimeout;
        }
        return new StoreSettings(
                settings.cache(),
                settings.defaults(),
                settings.poolSize(),
                busyTimeout,
                network,
                settings.feedInterval(),
                settings.feed(),
                settings.feedThreads(),
                settings.audit());
    }
}
