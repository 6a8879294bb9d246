package dev.rotor.risk;

import java.util.Objects;

/**
 * One signal that counted, with its points and a sentence for people: the audit log records it as is, and the user's
 * session list can show it ("new device in Lisbon"). An explanation names places, networks and browser families, never
 * a device id, a token or a password.
 *
 * @param weight points added to the score (0 for {@link Signal#NO_SECOND_FACTOR})
 */
public record Reason(Signal signal, int weight, String explanation) {
    public Reason {
        Objects.requireNonNull(signal);
        Objects.requireNonNull(explanation);
        if (weight < 0) throw new IllegalArgumentException("negative weight");
    }

    @Override
    public String toString() {
        return signal.code() + "(+" + weight + "): " + explanation;
    }
}
