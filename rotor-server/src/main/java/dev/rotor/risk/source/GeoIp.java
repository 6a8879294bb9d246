package dev.rotor.risk.source;

import java.net.InetAddress;

/** Locates IP addresses. Implementations are thread-safe and never throw for an address they do not know. */
@FunctionalInterface
public interface GeoIp {
    /** Without a GeoIP database every address is {@link Place#UNKNOWN}: the geo signals are then absent, never guessed. */
    GeoIp NONE = address -> Place.UNKNOWN;

    /** Where {@code address} is; {@link Place#UNKNOWN} when the database has no entry for it or cannot read its entry. */
    Place locate(InetAddress address);
}
