package dev.rotor.risk;

import dev.rotor.risk.source.Place;
import java.util.Objects;

/**
 * Where a refresh-token family was created and last used, as signals: what a refresh is compared with. Gathered at the
 * edge from the family's recorded IPs and User-Agents (the same GeoIP lookup as the request's).
 *
 * @param deviceHash the device the family was signed in on; null when none was presented then
 */
public record FamilyHistory(Use created, Use last, String deviceHash) {
    public FamilyHistory {
        Objects.requireNonNull(created);
        Objects.requireNonNull(last);
    }

    /**
     * One recorded use.
     *
     * @param network         null when the family recorded no IP (or none that parses)
     * @param userAgentFamily null when the family recorded no User-Agent
     */
    public record Use(String network, Place place, String userAgentFamily) {
        public Use {
            Objects.requireNonNull(place);
        }
    }
}
