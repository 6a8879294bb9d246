package dev.rotor.risk.source;

import dev.rotor.config.Cidr;
import dev.rotor.config.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * The network an address belongs to for the "new network" signal: its /24 for IPv4 and its /48 for IPv6, written as
 * {@link Cidr} writes networks ({@code 203.0.113.0/24}, {@code 2001:db8:1:0:0:0:0:0/48}). A /24 is what one home or
 * office router, or one slice of a mobile carrier's pool, typically sits in; a /48 is the usual IPv6 site allocation,
 * so a phone's rotating privacy addresses inside its /64 stay one network.
 */
public final class NetworkPrefix {
    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 48;

    private NetworkPrefix() {}

    /** The network of an IP literal; empty when {@code ip} is no IP literal (parsed without DNS, see {@link IpLiteral}). */
    public static Optional<String> of(String ip) {
        return IpLiteral.parse(ip).map(NetworkPrefix::of);
    }

    public static String of(InetAddress address) {
        byte[] bytes = address.getAddress();
        int prefix = address instanceof Inet4Address ? IPV4_PREFIX : IPV6_PREFIX;
        // Cidr keeps host bits as given; zero them so that every address of the network spells it the same way.
        byte[] network = Arrays.copyOf(Arrays.copyOf(bytes, prefix / 8), bytes.length);
        return new Cidr(network, prefix).toString();
    }
}
