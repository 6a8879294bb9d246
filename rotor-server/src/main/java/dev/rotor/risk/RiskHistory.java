package dev.rotor.risk;

import java.time.Instant;
import java.util.Set;

/**
 * What the engine remembers of a user's successful sign-ins: the devices (hashes), networks (prefixes and
 * {@code AS<number>} autonomous systems) and countries they came from, and where and when the last one was.
 *
 * @param last the last successful sign-in; null before the first
 */
public record RiskHistory(Set<String> devices, Set<String> networks, Set<String> countries, LastSignIn last) {
    /** A user the engine knows nothing about. */
    public static final RiskHistory EMPTY = new RiskHistory(Set.of(), Set.of(), Set.of(), null);

    public RiskHistory {
        devices = Set.copyOf(devices);
        networks = Set.copyOf(networks);
        countries = Set.copyOf(countries);
    }

    /**
     * The last successful sign-in's time and place, for impossible travel.
     *
     * @param country   null when unknown
     * @param city      null when unknown
     * @param latitude  degrees; null when unknown (with {@code longitude})
     */
    public record LastSignIn(Instant at, String country, String city, Double latitude, Double longitude) {
        public LastSignIn {
            java.util.Objects.requireNonNull(at);
            if ((latitude == null) != (longitude == null)) throw new IllegalArgumentException("latitude and longitude come together");
        }

        public boolean hasCoordinates() {
            return latitude != null;
        }
    }
}
