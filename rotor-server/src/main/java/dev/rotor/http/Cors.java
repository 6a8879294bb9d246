package dev.rotor.http;

import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The one CORS policy: browser apps of public clients, at the origins they registered ({@link ClientRegistry#isKnownOrigin},
 * which also counts {@code ROTOR_ALLOWED_ORIGINS}). A known origin is echoed exactly, never {@code *}; an unknown one
 * gets no CORS headers and a {@code 403} preflight; {@code Vary: Origin} always, so caches keep the answers apart. The
 * list of origins changes while the server runs, so Javalin's static CORS plugin does not fit.
 *
 * <p>Two flavours: {@link #withCredentials} for the cookie API, whose requests carry the refresh cookie, and
 * {@link #withoutCredentials} for the OAuth endpoints a SPA calls directly (token, revocation, userinfo), which use
 * no cookie and so never allow credentials.
 */
final class Cors {
    /** Headers a SPA needs to read on an error: the back-off and the authentication challenge. */
    private static final String EXPOSED = "Retry-After, WWW-Authenticate";

    private final ClientRegistry clients;
    private final boolean credentials;

    private Cors(ClientRegistry clients, boolean credentials) {
        this.clients = clients;
        this.credentials = credentials;
    }

    static Cors withCredentials(ClientRegistry clients) {
        return new Cors(clients, true);
    }

    static Cors withoutCredentials(ClientRegistry clients) {
        return new Cors(clients, false);
    }

    /** CORS on {@code path}: the headers on every answer, and a preflight that allows {@code methods}. */
    void apply(RoutesConfig routes, String path, String... methods) {
        String allowed = String.join(", ", methods);
        routes.before(path, this::headers);
        routes.options(path, ctx -> preflight(ctx, allowed));
    }

    /** The CORS headers of an actual request (a before-handler, so that errors carry them too). */
    void headers(Context ctx) {
        String origin = Edge.origin(ctx);
        if (origin != null && clients.isKnownOrigin(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            if (credentials) ctx.header("Access-Control-Allow-Credentials", "true");
            ctx.header("Access-Control-Expose-Headers", EXPOSED);
        }
        ctx.header("Vary", "Origin");
    }

    /** A preflight: 204 with what may be sent, or 403 for a missing or unknown origin. */
    void preflight(Context ctx, String methods) {
        String origin = Edge.origin(ctx);
        if (origin == null || !clients.isKnownOrigin(origin)) throw new OAuthException(ErrorCode.INVALID_ORIGIN, "origin not allowed");
        ctx.header("Access-Control-Allow-Methods", methods);
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }
}
