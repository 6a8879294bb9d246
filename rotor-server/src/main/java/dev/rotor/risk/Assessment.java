package dev.rotor.risk;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The engine's answer for one sign-in or refresh: the decision, the score that led to it, and every reason that added
 * to it, in the order the signals were looked at.
 *
 * @param score the sum of the reasons' weights
 */
public record Assessment(Decision decision, int score, List<Reason> reasons) {
    public Assessment {
        Objects.requireNonNull(decision);
        reasons = List.copyOf(reasons);
    }

    /** True when {@code signal} is among the reasons. */
    public boolean has(Signal signal) {
        return reasons.stream().anyMatch(r -> r.signal() == signal);
    }

    /** The explanations joined for a person to read, e.g. {@code new device in Lisbon; new country: PT (last: DE)}; empty when none. */
    public String summary() {
        return reasons.stream().map(Reason::explanation).collect(Collectors.joining("; "));
    }
}
