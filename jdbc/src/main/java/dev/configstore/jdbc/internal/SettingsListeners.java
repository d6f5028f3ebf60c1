package dev.configstore.jdbc.internal;

import dev.configstore.settings.Scope;
import dev.configstore.settings.ScopeId;
import dev.configstore.settings.Setting;
import dev.configstore.settings.SettingChange;
import dev.configstore.settings.SettingListener;
import dev.configstore.settings.SettingSubscription;
import dev.configstore.settings.SettingsSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change listeners of one {@link JdbcSettings}: a mirror of the texts stored for every setting
 * that has a listener, and one thread that, for each notification (a write of this process after
 * it returned, a change-feed report for a guild id or {@code ""} for the global values, or
 * "everything changed" after a gap), reads the affected stored values again, compares them with
 * the mirror, updates it, and calls the listeners of what differs. A change is therefore delivered
 * once however many notifications name it (a local write and the feed's echo of it), only after it
 * was committed, and changes committed between two reads are delivered as one.
 *
 * <p>The mirror of a setting is loaded when its first listener registers, on the registering
 * thread, so that every change committed after {@link #add} returns differs from it. A read that
 * fails is logged and tried again, with a growing delay, until it succeeds.
 */
final class SettingsListeners implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("dev.configstore.settings");

    /** Stands for "every guild" among the reads that failed. */
    private static final String EVERYTHING = "*";

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Where the stored values come from. */
    interface StoredRows {
        /**
         * Reads every value stored under a guild id; {@code ""} gives the global values.
         *
         * @param guildId the guild's id, or {@code ""}
         * @return the rows
         */
        List<JdbcSettingsBackend.StoredRow> ofGuild(String guildId);

        /**
         * Reads every value stored for a setting.
         *
         * @param key the setting's key
         * @return the rows
         */
        List<JdbcSettingsBackend.StoredRow> ofKey(String key);
    }

    /** Where one text is stored: a scope and a setting's key. */
    private record Place(ScopeId where, String key) {}

    private final SettingsSchema schema;
    private final StoredRows rows;
    private final String name;
    private final ScheduledExecutorService thread;

    /** Guards {@link #listeners}, {@link #mirror}, {@link #failed} and {@link #retryDelay}. */
    private final ReentrantLock lock = new ReentrantLock();

    /** The registrations of each setting with listeners, by key; each list is replaced, never changed. */
    private final Map<String, List<Registration<?>>> listeners = new HashMap<>();

    /** The texts stored for the settings with listeners: by guild id ({@code ""} global), then place. */
    private Map<String, Map<Place, String>> mirror = new HashMap<>();

    /** The guild ids whose read is queued and has not started. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    /** The guild ids (or {@link #EVERYTHING}) whose last read failed, to read again. */
    private final Set<String> failed = new HashSet<>();

    private Duration retryDelay = FIRST_RETRY;
    private boolean retryScheduled;
    private volatile boolean closed;
    private volatile @Nullable Thread worker;

    /**
     * Creates the listeners and starts their thread.
     *
     * @param schema the schema
     * @param rows where the stored values come from
     * @param name names the thread and starts log messages
     */
    SettingsListeners(SettingsSchema schema, StoredRows rows, String name) {
        this.schema = schema;
        this.rows = rows;
        this.name = name;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread started = new Thread(task, "configstore-settings-listeners " + name);
            started.setDaemon(true);
            worker = started;
            return started;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /**
     * Registers a listener; the first of a setting loads the setting's stored values.
     *
     * @throws dev.configstore.StoreException if they could not be read; nothing was registered
     * @throws IllegalStateException if closed
     */
    <T> SettingSubscription add(Setting<T> setting, SettingListener<T> listener) {
        Registration<T> registration = new Registration<>(setting, listener);
        lock.lock();
        try {
            requireOpen();
            List<Registration<?>> current = listeners.get(setting.key());
            if (current == null) {
                List<JdbcSettingsBackend.StoredRow> stored = rows.ofKey(setting.key());
                listeners.put(setting.key(), List.of(registration));
                for (JdbcSettingsBackend.StoredRow row : stored) {
                    put(mirror, row);
                }
            } else {
                List<Registration<?>> more = new ArrayList<>(current);
                more.add(registration);
                listeners.put(setting.key(), List.copyOf(more));
            }
        } finally {
            lock.unlock();
        }
        return registration;
    }

    /**
     * The values stored under {@code guildId} ({@code ""}: the global ones) may have changed and
     * the change is committed.
     */
    void changed(String guildId) {
        // One queued read per guild id is enough: it is taken off before it reads, so a change
        // committed after that queues another.
        if (pending.add(guildId)) {
            submit(() -> {
                pending.remove(guildId);
                refresh(guildId);
            });
        }
    }

    /** Any stored value may have changed. */
    void allChanged() {
        submit(this::refreshAll);
    }

    /**
     * Stops the thread, waiting a few seconds for a call under way (unless called from it); no
     * listener call starts afterwards.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        thread.shutdown();
        if (Thread.currentThread() == worker) {
            return;
        }
        try {
            if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{}: a settings listener was still running {} s after the store was closed; it was left to"
                                + " finish",
                        name,
                        CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        if (closed) {
            return;
        }
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing is delivered after close.
        }
    }

    private void refresh(String guildId) {
        List<Delivery<?>> deliveries;
        lock.lock();
        try {
            if (closed || listeners.isEmpty()) {
                return;
            }
            Map<Place, String> fresh = new HashMap<>();
            try {
                for (JdbcSettingsBackend.StoredRow row : rows.ofGuild(guildId)) {
                    if (row.guildId().equals(guildId)) {
                        Place place = place(row);
                        if (place != null) {
                            fresh.put(place, row.text());
                        }
                    }
                }
            } catch (RuntimeException e) {
                failed(guildId, e);
                return;
            }
            Map<Place, String> old = mirror.getOrDefault(guildId, Map.of());
            deliveries = differences(old, fresh);
            if (fresh.isEmpty()) {
                mirror.remove(guildId);
            } else {
                mirror.put(guildId, fresh);
            }
            succeeded(guildId);
        } finally {
            lock.unlock();
        }
        deliver(deliveries);
    }

    private void refreshAll() {
        List<Delivery<?>> deliveries;
        lock.lock();
        try {
            if (closed || listeners.isEmpty()) {
                return;
            }
            Map<String, Map<Place, String>> fresh = new HashMap<>();
            try {
                for (String key : listeners.keySet()) {
                    for (JdbcSettingsBackend.StoredRow row : rows.ofKey(key)) {
                        put(fresh, row);
                    }
                }
            } catch (RuntimeException e) {
                failed(EVERYTHING, e);
                return;
            }
            deliveries = new ArrayList<>();
            Set<String> guilds = new HashSet<>(mirror.keySet());
            guilds.addAll(fresh.keySet());
            for (String guild : guilds) {
                deliveries.addAll(
                        differences(mirror.getOrDefault(guild, Map.of()), fresh.getOrDefault(guild, Map.of())));
            }
            mirror = fresh;
            succeeded(EVERYTHING);
            failed.clear();
        } finally {
            lock.unlock();
        }
        deliver(deliveries);
    }

    /** Puts a row of a setting with listeners into a mirror, if configstore could have written it. */
    private void put(Map<String, Map<Place, String>> into, JdbcSettingsBackend.StoredRow row) {
        Place place = place(row);
        if (place != null) {
            into.computeIfAbsent(row.guildId(), id -> new HashMap<>()).put(place, row.text());
        }
    }

    /**
     * The place of a row of a setting with listeners, or null for another setting's row or a row
     * whose scope or ids configstore could not have written (reads leave those out as well).
     */
    private @Nullable Place place(JdbcSettingsBackend.StoredRow row) {
        if (!listeners.containsKey(row.key())) {
            return null;
        }
        try {
            Scope scope = Scope.valueOf(row.scope().toUpperCase(Locale.ROOT));
            return new Place(new ScopeId(scope, row.guildId(), row.channelId()), row.key());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What changed between two readings of one guild id's places, in a stable order. */
    private List<Delivery<?>> differences(Map<Place, String> old, Map<Place, String> fresh) {
        Set<Place> places = new HashSet<>(old.keySet());
        places.addAll(fresh.keySet());
        List<Delivery<?>> deliveries = new ArrayList<>();
        for (Place place : places) {
            String before = old.get(place);
            String after = fresh.get(place);
            List<Registration<?>> registered = listeners.get(place.key());
            if (!Objects.equals(before, after) && registered != null) {
                deliveries.add(delivery(registered, place, before, after));
            }
        }
        deliveries.sort(Comparator.comparing((Delivery<?> d) -> d.change.where().scope())
                .thenComparing(d -> d.change.where().channelId())
                .thenComparingInt(d -> schema.settings().indexOf(d.change.setting())));
        return deliveries;
    }

    @SuppressWarnings("unchecked")
    private static <T> Delivery<T> delivery(
            List<Registration<?>> registered, Place place, @Nullable String before, @Nullable String after) {
        Setting<T> setting = (Setting<T>) registered.get(0).setting;
        SettingChange<T> change = new SettingChange<>(
                setting,
                place.where(),
                decode(setting, place.where(), before),
                decode(setting, place.where(), after),
                Optional.ofNullable(before),
                Optional.ofNullable(after));
        return new Delivery<>(change, (List<Registration<T>>) (List<?>) registered);
    }

    /** A stored text's value, or empty where reads would skip it. */
    private static <T> Optional<T> decode(Setting<T> setting, ScopeId where, @Nullable String text) {
        if (text == null || !setting.allows(where.scope())) {
            return Optional.empty();
        }
        try {
            return Optional.of(setting.decode(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void deliver(List<Delivery<?>> deliveries) {
        for (Delivery<?> delivery : deliveries) {
            delivery.deliver();
        }
    }

    private void failed(String guildId, RuntimeException e) {
        boolean first = failed.isEmpty();
        failed.add(guildId);
        if (first) {
            log.warn(
                    "{}: could not read the stored settings to tell their listeners what changed; trying again in {}"
                            + " s, and their changes are delivered once a read succeeds: {}",
                    name,
                    retryDelay.toSeconds(),
                    e.getMessage());
        } else {
            log.debug("{}: reading the stored settings for their listeners failed again: {}", name, e.getMessage());
        }
        if (!retryScheduled && !closed) {
            retryScheduled = true;
            Duration delay = retryDelay;
            retryDelay = retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryDelay.multipliedBy(2);
            try {
                // The retry reports its own failures; nothing waits for it.
                var unused = thread.schedule(this::retry, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                retryScheduled = false;
            }
        }
    }

    private void succeeded(String guildId) {
        if (failed.remove(guildId) && failed.isEmpty()) {
            retryDelay = FIRST_RETRY;
            log.info("{}: the stored settings can be read again; their listeners are told of changes again", name);
        }
    }

    private void retry() {
        List<String> again;
        lock.lock();
        try {
            retryScheduled = false;
            again = List.copyOf(failed);
        } finally {
            lock.unlock();
        }
        if (again.contains(EVERYTHING)) {
            refreshAll();
        } else {
            again.forEach(this::refresh);
        }
    }

    private void remove(Registration<?> registration) {
        lock.lock();
        try {
            String key = registration.setting.key();
            List<Registration<?>> current = listeners.get(key);
            if (current == null || !current.contains(registration)) {
                return;
            }
            List<Registration<?>> rest = new ArrayList<>(current);
            rest.remove(registration);
            if (!rest.isEmpty()) {
                listeners.put(key, List.copyOf(rest));
                return;
            }
            listeners.remove(key);
            for (Map<Place, String> places : mirror.values()) {
                places.keySet().removeIf(place -> place.key().equals(key));
            }
            mirror.values().removeIf(Map::isEmpty);
        } finally {
            lock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(name + ": the store is closed; open it again to listen to settings");
        }
    }

    /** One change, with the registrations of its setting when it was read. */
    private static final class Delivery<T> {
        final SettingChange<T> change;
        final List<Registration<T>> registrations;

        Delivery(SettingChange<T> change, List<Registration<T>> registrations) {
            this.change = change;
            this.registrations = registrations;
        }

        void deliver() {
            for (Registration<T> registration : registrations) {
                registration.call(change);
            }
        }
    }

    /** One listener of one setting. */
    private final class Registration<T> implements SettingSubscription {
        final Setting<T> setting;
        final SettingListener<T> listener;
        private volatile boolean cancelled;

        Registration(Setting<T> setting, SettingListener<T> listener) {
            this.setting = setting;
            this.listener = listener;
        }

        void call(SettingChange<T> change) {
            if (cancelled || closed) {
                return;
            }
            try {
                listener.changed(change);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                log.warn(
                        "{}: listener {} of setting \"{}\" failed on the change at {}; the other listeners are still"
                                + " called",
                        name,
                        listener,
                        setting.key(),
                        change.where(),
                        e);
            }
        }

        @Override
        public void close() {
            cancelled = true;
            remove(this);
        }

        @Override
        public String toString() {
            return "SettingSubscription[" + setting.key() + ", " + listener + (cancelled ? ", closed]" : "]");
        }
    }
}
