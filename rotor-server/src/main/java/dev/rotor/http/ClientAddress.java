package dev.rotor.http;

import dev.rotor.config.Cidr;
import dev.rotor.config.IpLiteral;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The client's IP: the socket peer, unless the peer is a trusted proxy, in which case the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could be forged by the client).
 */
final class ClientAddress {
    /** A longer X-Forwarded-For is not believed: no honest proxy chain is that long. */
    static final int MAX_FORWARDED_FOR = 2048;

    private final List<Cidr> trustedProxies;

    ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    String of(Context ctx) {
        String peer = unbracketed(ctx.req().getRemoteAddr());
        // Without trusted proxies (the default) the header is never read: every request of the token path passes here.
        if (trustedProxies.isEmpty()) return peer;
        return of(peer, Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /** Jetty writes an IPv6 peer in brackets ({@code [0:0:0:0:0:0:0:1]}); X-Forwarded-For entries come without. */
    static String unbracketed(String peer) {
        return peer != null && peer.length() > 2 && peer.startsWith("[") && peer.endsWith("]") ? peer.substring(1, peer.length() - 1) : peer;
    }

    /**
     * @param peer         the socket peer's address, IPv6 without brackets
     * @param forwardedFor every X-Forwarded-For header line, in the order received
     */
    String of(String peer, List<String> forwardedFor) {
        if (!trusted(peer)) return peer;
        // All lines, in order, as one list (RFC 9110 §5.3): a proxy may add a line of its own instead of appending to
        // the client's, and the first line alone would then be the client's word.
        String xff = String.join(",", forwardedFor);
        if (xff.length() > MAX_FORWARDED_FOR) return peer;
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) continue; // RFC 9110 §5.6.1: empty list elements are ignored
            Optional<InetAddress> address = IpLiteral.parse(hop);
            if (address.isEmpty()) return peer; // garbage: nothing left of it can be placed
            if (!trusted(address.get())) return hop;
        }
        return peer;
    }

    private boolean trusted(String ip) {
        return !trustedProxies.isEmpty() && IpLiteral.parse(ip).map(this::trusted).orElse(false);
    }

    private boolean trusted(InetAddress address) {
        return trustedProxies.stream().anyMatch(c -> c.contains(address));
    }
}
