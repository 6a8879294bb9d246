package dev.rotor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8}. */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) throws UnknownHostException {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (!host.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("not an IP address: " + host);
        byte[] addr = InetAddress.getByName(host).getAddress();
        int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (prefix < 0 || prefix > addr.length * 8) throw new IllegalArgumentException("prefix out of range: " + prefix);
        return new Cidr(addr, prefix);
    }

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
}
