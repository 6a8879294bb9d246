package dev.rotor.store;

/** A database failure that is not an expected outcome; the HTTP layer answers {@code server_error}. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
