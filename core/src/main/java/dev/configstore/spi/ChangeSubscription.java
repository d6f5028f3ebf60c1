package dev.configstore.spi;

/** Stops the notifications started by {@link Backend#subscribe(ChangeListener)}. */
@FunctionalInterface
public interface ChangeSubscription {

    /** A subscription to a backend that never reports external changes. */
    ChangeSubscription NONE = () -> {};

    /** Stops the notifications; calling it again does nothing. */
    void cancel();
}
