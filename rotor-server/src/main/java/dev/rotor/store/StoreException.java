package dev.rotor.store;

/** A database failure that is not an expected outcome; the HTTP layer answers {@code 503 temporarily_unavailable}. */
public final class StoreException extends RuntimeException {
    private final boolean conflict;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    StoreException(String message, Throwable cause, boolean conflict) {
        super(message, cause);
        this.conflict = conflict;
    }

    /**
     * True when a write lost to a concurrent transaction (PostgreSQL: a serialization failure, a deadlock or a lock
     * wait given up) and was rolled back: nothing of it was committed, and running it again may succeed.
     */
    public boolean conflict() {
        return conflict;
    }
}
