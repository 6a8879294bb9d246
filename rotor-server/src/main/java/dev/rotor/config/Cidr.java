package dev.rotor.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8}; a bare address is a network of one host.
 * Host bits set in the address ({@code 10.0.0.5/8}) are ignored.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("not an IPv4 or IPv6 address");
        if (prefix < 0 || prefix > network.length * 8) throw new IllegalArgumentException("prefix out of range: " + prefix);
        network = network.clone();
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** @throws IllegalArgumentException unless {@code text} is an IP literal, optionally with {@code /PREFIX} */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiteral.parse(host).orElseThrow(() -> new IllegalArgumentException("not an IP address: " + host));
        byte[] bytes = address.getAddress();
        if (slash < 0) return new Cidr(bytes, bytes.length * 8);
        String digits = text.substring(slash + 1);
        if (!digits.matches("[0-9]{1,3}")) throw new IllegalArgumentException("not a prefix length: " + digits);
        int prefix = Integer.parseInt(digits);
        if (address instanceof Inet4Address && host.contains(":")) {
            // An IPv4-mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps; peers arrive as IPv4 addresses.
            if (prefix < 96 || prefix > 128) throw new IllegalArgumentException("an IPv4-mapped network needs a prefix of 96 to 128: " + prefix);
            prefix -= 96;
        }
        return new Cidr(bytes, prefix);
    }

    /** True when {@code address} is in this network; an IPv4 address is never in an IPv6 network nor the reverse. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest);
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // the constructor allows only 4 or 16 bytes
        }
    }
}
