package dev.rotor.http;

import dev.rotor.config.Cidr;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's IP: the socket peer, unless the peer is a trusted proxy, in which case the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could be forged by the client).
 */
final class ClientAddress {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** With a colon, InetAddress takes the text as an IPv6 literal and refuses it if it is not one. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    private final List<Cidr> trustedProxies;

    ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    String of(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (trustedProxies.isEmpty() || !trusted(literal(peer))) return peer;
        // Every X-Forwarded-For line, in order: a proxy may add its own line rather than append to the client's.
        String xff = String.join(",", java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        if (xff.isEmpty() || xff.length() > 2048) return peer;
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            InetAddress a = literal(hop);
            if (a == null) return peer;
            if (!trusted(a)) return hop;
        }
        return peer;
    }

    private boolean trusted(InetAddress a) {
        return a != null && trustedProxies.stream().anyMatch(c -> c.contains(a));
    }

    /**
     * The address of a dotted-quad IPv4 address (each part 0-255, no leading zero) or an IPv6 literal, null for
     * anything else. Those are the only strings that {@link InetAddress#getByName} parses without a name lookup.
     * It resolves everything else by name, including hex-letter words such as {@code cafe} and
     * {@code dead.beef.cafe}, and {@code 999.1.1.1}. It also reads {@code 1.2.3} as {@code 1.2.0.3}. Any of those in
     * X-Forwarded-For would cost a DNS query per request, to a name the client chose, and could be recorded as the
     * client's address.
     */
    private static InetAddress literal(String s) {
        if (s == null || s.length() > 45 || !(IPV4.matcher(s).matches() || (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null; // text with a colon that is not an IPv6 literal
        }
    }
}
