package dev.rotor.risk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * What an audit event records of the decision (its {@code detail}): {@code risk_decision} ({@code allow},
     * {@code step_up}, {@code deny}), {@code risk_score}, and {@code risk_reasons}, each reason as
     * {@code signal(+points): explanation}, joined by {@code "; "}. No secret is in any of them.
     */
    public Map<String, String> auditDetail() {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("risk_decision", decision.name().toLowerCase(Locale.ROOT));
        detail.put("risk_score", Integer.toString(score));
        detail.put("risk_reasons", reasons.stream().map(Reason::toString).collect(Collectors.joining("; ")));
        return Collections.unmodifiableMap(detail);
    }

    /** The explanations joined for a person to read, e.g. {@code new device in Lisbon; new country: PT (last: DE)}; empty when none. */
    public String summary() {
        return reasons.stream().map(Reason::explanation).collect(Collectors.joining("; "));
    }
}
