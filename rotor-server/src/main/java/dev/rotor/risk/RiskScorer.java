package dev.rotor.risk;

import dev.rotor.config.Cidr;
import dev.rotor.risk.FamilyHistory.Use;
import dev.rotor.risk.RiskHistory.LastSignIn;
import dev.rotor.risk.source.GreatCircle;
import dev.rotor.risk.source.Place;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The scoring rules: pure functions of the signals, the history and the policy; no clock, no I/O, the same answer every
 * time. Each rule that fires adds one {@link Reason}; the score is their sum and {@link #decide} maps it.
 *
 * <p>Newness is learned, not assumed: a "new device / network / country" rule fires only when the engine already knows
 * at least one value of that kind for the user. A user's first sign-in (and the first after an upgrade, or after a
 * GeoIP database is configured) sets the baseline instead of asking everyone for a second factor at once.
 */
public final class RiskScorer {
    private RiskScorer() {}

    /** A sign-in: device, network, country, travel since the last sign-in, deny list, failed-attempt velocity. */
    public static Assessment signIn(Signals s, RiskHistory h, RiskPolicy p, boolean hasSecondFactor) {
        List<Reason> reasons = new ArrayList<>();
        denyList(s, p, reasons);
        String where = s.place().label() == null ? "" : " in " + s.place().label();
        boolean knownDevice = s.deviceHash() != null && h.devices().contains(s.deviceHash());
        if (!h.devices().isEmpty() && !knownDevice) {
            reasons.add(new Reason(Signal.NEW_DEVICE, p.weight(Signal.NEW_DEVICE), "new device" + where));
        }
        if (!h.networks().isEmpty() && s.network() != null && !knownNetwork(s.network(), s.place(), h.networks())) {
            reasons.add(new Reason(Signal.NEW_NETWORK, p.weight(Signal.NEW_NETWORK), "new network " + s.network() + asn(s.place())));
        }
        String country = s.place().country();
        if (!h.countries().isEmpty() && country != null && !h.countries().contains(country)) {
            String last = h.last() == null || h.last().country() == null ? "" : " (last: " + h.last().country() + ")";
            reasons.add(new Reason(Signal.NEW_COUNTRY, p.weight(Signal.NEW_COUNTRY), "new country: " + country + last));
        }
        travel(s, h.last(), p, reasons);
        // Capped together: failures alone may ask for a second factor but never deny, or anyone could lock a user out
        // by failing on purpose with their username. On a device the user signed in from before, the account's failures
        // do not count at all: they are someone else's guessing (as the throttle lets that device through too).
        int accountFailures = knownDevice ? 0 : s.accountFailures();
        int left = failures(Signal.ACCOUNT_FAILURES, accountFailures, p.freeAccountFailures(), "on this account", p.stepUpAt(), p, reasons);
        failures(Signal.IP_FAILURES, s.ipFailures(), p.freeIpFailures(), "from this IP", left, p, reasons);
        return decide(reasons, s.denyListed() != null, p, hasSecondFactor);
    }

    /**
     * A refresh: the network, country and browser family against where the family was created and last used; the device
     * against the one it was signed in on (only when both are known: an app that sends no {@code device_id} on refresh,
     * or a family from before devices were recorded, is not scored for it); deny list.
     */
    public static Assessment refresh(Signals s, FamilyHistory f, RiskPolicy p, boolean hasSecondFactor) {
        List<Reason> reasons = new ArrayList<>();
        denyList(s, p, reasons);
        Set<String> networks = known(f.created().network(), f.last().network());
        boolean asnKnown = s.place().asn() != null
                && (s.place().asn().equals(f.created().place().asn()) || s.place().asn().equals(f.last().place().asn()));
        if (!networks.isEmpty() && s.network() != null && !networks.contains(s.network()) && !asnKnown) {
            reasons.add(new Reason(Signal.REFRESH_NETWORK, p.weight(Signal.REFRESH_NETWORK),
                    "network changed: " + s.network() + asn(s.place()) + " (session's: " + String.join(", ", networks) + ")"));
        }
        Set<String> countries = known(f.created().place().country(), f.last().place().country());
        String country = s.place().country();
        if (!countries.isEmpty() && country != null && !countries.contains(country)) {
            reasons.add(new Reason(Signal.REFRESH_COUNTRY, p.weight(Signal.REFRESH_COUNTRY),
                    "country changed: " + country + " (session's: " + String.join(", ", countries) + ")"));
        }
        Set<String> families = known(f.created().userAgentFamily(), f.last().userAgentFamily());
        if (!families.isEmpty() && !families.contains(s.userAgentFamily())) {
            reasons.add(new Reason(Signal.REFRESH_USER_AGENT, p.weight(Signal.REFRESH_USER_AGENT),
                    "browser changed: " + s.userAgentFamily() + " (session's: " + String.join(", ", families) + ")"));
        }
        if (f.deviceHash() != null && s.deviceHash() != null && !f.deviceHash().equals(s.deviceHash())) {
            reasons.add(new Reason(Signal.REFRESH_DEVICE, p.weight(Signal.REFRESH_DEVICE), "another device than the session's"));
        }
        return decide(reasons, s.denyListed() != null, p, hasSecondFactor);
    }

    /**
     * The score is the sum of the reasons; a deny-listed IP is DENY whatever it is. A STEP_UP for a user with no second
     * factor becomes DENY when the policy says so (the default: otherwise the riskiest sign-ins of the least protected
     * accounts would go through unchallenged), else ALLOW; a reason says which. Failed attempts are the exception: when
     * they are the only reasons, the step-up is let through for a user with nothing to step up to, since anyone can fail
     * on purpose with someone's username, and the throttle already answers guessing. With any other reason (a new device
     * after many failures is what a successful guess looks like) the policy applies.
     */
    static Assessment decide(List<Reason> reasons, boolean denyListed, RiskPolicy p, boolean hasSecondFactor) {
        int score = reasons.stream().mapToInt(Reason::weight).sum();
        Decision decision = denyListed ? Decision.DENY : p.decide(score);
        List<Reason> all = new ArrayList<>(reasons);
        if (decision == Decision.STEP_UP && !hasSecondFactor) {
            int failures = reasons.stream().filter(r -> r.signal() == Signal.ACCOUNT_FAILURES || r.signal() == Signal.IP_FAILURES)
                    .mapToInt(Reason::weight).sum();
            boolean onlyFailures = score == failures;
            decision = p.denyWithoutSecondFactor() && !onlyFailures ? Decision.DENY : Decision.ALLOW;
            all.add(new Reason(Signal.NO_SECOND_FACTOR, 0, "a second factor is needed and none is enrolled: "
                    + (decision == Decision.DENY ? "denied by policy" : onlyFailures ? "allowed, failed attempts alone never deny" : "allowed by policy")));
        }
        return new Assessment(decision, score, all);
    }

    private static void denyList(Signals s, RiskPolicy p, List<Reason> reasons) {
        if (s.denyListed() != null) reasons.add(denyListed(s.denyListed(), p));
    }

    static Reason denyListed(Cidr network, RiskPolicy p) {
        return new Reason(Signal.DENY_LISTED_IP, p.weight(Signal.DENY_LISTED_IP), "IP on the deny list (" + network + ")");
    }

    /** A request from a deny-listed network, scored before anything else is known: DENY. */
    static Assessment denyListedOnly(Cidr network, RiskPolicy p) {
        return decide(List.of(denyListed(network, p)), true, p, true);
    }

    /** A network is known by its prefix, or by its autonomous system when the GeoIP database names one. */
    private static boolean knownNetwork(String network, Place place, Set<String> known) {
        return known.contains(network) || (place.asn() != null && known.contains(asnKey(place.asn())));
    }

    /** How an autonomous system is remembered among the networks. */
    static String asnKey(long asn) {
        return "AS" + asn;
    }

    private static String asn(Place place) {
        return place.asn() == null ? "" : " (" + asnKey(place.asn()) + ")";
    }

    /**
     * Impossible travel: into another country, farther than {@code travelMinKm} from the last sign-in, faster than
     * {@code travelKmh}. Two sign-ins at the same instant (or out of order between nodes) count as a minute apart, not as
     * infinite speed. Inside one country it is not scored: GeoIP places a mobile carrier's users at its gateway city,
     * often hundreds of kilometres from the phone, so a phone leaving Wi-Fi would seem to fly.
     */
    private static void travel(Signals s, LastSignIn last, RiskPolicy p, List<Reason> reasons) {
        if (last == null || !last.hasCoordinates() || !s.place().hasCoordinates()) return;
        if (last.country() != null && last.country().equals(s.place().country())) return;
        double km = GreatCircle.km(last.latitude(), last.longitude(), s.place().latitude(), s.place().longitude());
        if (km <= p.travelMinKm()) return;
        Duration elapsed = Duration.between(last.at(), s.at());
        double hours = Math.max(elapsed.toMillis(), 60_000) / 3_600_000.0;
        if (km / hours <= p.travelKmh()) return;
        String from = last.city() != null ? last.city() : last.country();
        reasons.add(new Reason(Signal.IMPOSSIBLE_TRAVEL, p.weight(Signal.IMPOSSIBLE_TRAVEL), String.format(Locale.ROOT,
                "impossible travel: %,d km in %s%s", Math.round(km), span(elapsed), from == null ? "" : " (from " + from + ")")));
    }

    private static String span(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        return minutes < 120 ? minutes + " min" : minutes < 48 * 60 ? (minutes / 60) + " h" : (minutes / (24 * 60)) + " d";
    }

    /**
     * Failed-attempt velocity: points per failure beyond the free ones, at most {@code cap}.
     *
     * @return what is left of {@code cap}
     */
    private static int failures(Signal signal, int count, int free, String where, int cap, RiskPolicy p, List<Reason> reasons) {
        int over = count - free;
        if (over <= 0 || p.weight(signal) == 0 || cap <= 0) return cap;
        int points = (int) Math.min((long) over * p.weight(signal), cap);
        reasons.add(new Reason(signal, points, count + " failed sign-ins " + where + " recently"));
        return cap - points;
    }

    private static Set<String> known(String a, String b) {
        Set<String> set = new LinkedHashSet<>();
        if (a != null) set.add(a);
        if (b != null) set.add(b);
        return set;
    }
}
