package dev.rotor.http;

import dev.rotor.config.Cidr;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.List;

/**
 * The client's IP: the socket peer, unless the peer is a trusted proxy, in which case the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could be forged by the client).
 */
final class ClientAddress {
    private final List<Cidr> trustedProxies;

    ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    String of(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (trustedProxies.isEmpty() || !trusted(peer)) return peer;
        // Every X-Forwarded-For line, in order: a proxy may add its own line rather than append to the client's.
        String xff = String.join(",", java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        if (xff.isEmpty() || xff.length() > 2048) return peer;
        String[] hops = xff.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!looksLikeIp(hop)) return peer;
            if (!trusted(hop)) return hop;
        }
        return peer;
    }

    private boolean trusted(String ip) {
        if (!looksLikeIp(ip)) return false;
        try {
            InetAddress a = InetAddress.getByName(ip); // a literal: no DNS lookup happens
            return trustedProxies.stream().anyMatch(c -> c.contains(a));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean looksLikeIp(String s) {
        return s != null && !s.isEmpty() && s.length() <= 45 && s.matches("[0-9a-fA-F:.]+");
    }
}
