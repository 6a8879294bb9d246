package dev.rotor.risk;

import dev.rotor.config.Cidr;
import dev.rotor.risk.source.Place;
import java.time.Instant;
import java.util.Objects;

/**
 * What is known about one sign-in or refresh, gathered at the edge by {@link RiskEngine} from the request and the signal
 * sources (GeoIP, deny list); the scorer reads nothing else but the history.
 *
 * @param at              when it happened
 * @param network         the /24 or /48 of the client IP ({@link dev.rotor.risk.source.NetworkPrefix}); null when the IP
 *                        is not an IP literal
 * @param place           where the IP is; {@link Place#UNKNOWN} without a GeoIP database
 * @param denyListed      the deny-list network the IP is in; null when it is in none
 * @param deviceHash      hash of the device id ({@link dev.rotor.risk.source.DeviceIds}); null when none was presented
 * @param userAgentFamily {@link dev.rotor.risk.source.UserAgentFamily} of the User-Agent
 * @param accountFailures recent failed sign-ins on the account (the throttle's count; 0 on a refresh)
 * @param ipFailures      recent failed sign-ins from the IP (the throttle's count; 0 on a refresh)
 */
public record Signals(Instant at, String network, Place place, Cidr denyListed, String deviceHash, String userAgentFamily,
                      int accountFailures, int ipFailures) {
    public Signals {
        Objects.requireNonNull(at);
        Objects.requireNonNull(place);
        Objects.requireNonNull(userAgentFamily);
        if (accountFailures < 0 || ipFailures < 0) throw new IllegalArgumentException("negative failure count");
    }
}
