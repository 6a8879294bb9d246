package dev.rotor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without DNS. {@code InetAddress.getByName} looks up anything it cannot read as a
 * literal, so a hex-only word such as {@code cafe} from a header or a config file would become a DNS query, and it
 * reads legacy forms ({@code 1.2.3} as 1.2.0.3, {@code 010.0.0.1} as 10.0.0.1) that other software reads otherwise.
 * Only canonical dotted-quad IPv4 and IPv6 (with at least one colon, no zone) reach it here.
 */
public final class IpLiteral {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    /** The longest IPv6 text: eight groups, the last two written as an IPv4 address. */
    private static final int MAX_LENGTH = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255".length();

    private IpLiteral() {}

    /**
     * The address {@code text} spells, or empty when it is no IP literal. An IPv4-mapped IPv6 address
     * ({@code ::ffff:10.0.0.1}) comes back as the IPv4 address it maps, as Java's sockets report such peers.
     */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) return Optional.empty();
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) return Optional.empty();
        try {
            // A dotted quad, or text with a colon: the JDK parses either as a literal and never asks DNS.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
