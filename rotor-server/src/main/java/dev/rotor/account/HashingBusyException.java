package dev.rotor.account;

/** Every password-hashing slot stayed busy for longer than the wait allows; the caller should retry shortly. */
public final class HashingBusyException extends RuntimeException {
    public HashingBusyException() {
        super("password hashing pool saturated", null, false, false);
    }
}
