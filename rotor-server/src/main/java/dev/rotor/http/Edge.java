package dev.rotor.http;

import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.VerifiedAccessToken;
import io.javalin.http.Context;

/** What every handler gathers from the request: where it came from, and who the bearer is. */
final class Edge {
    private final ClientAddress addresses;
    private final AccessTokens accessTokens;
    private final Sessions sessions;

    Edge(ClientAddress addresses, AccessTokens accessTokens, Sessions sessions) {
        this.addresses = addresses;
        this.accessTokens = accessTokens;
        this.sessions = sessions;
    }

    RequestInfo requestInfo(Context ctx) {
        return new RequestInfo(addresses.of(ctx), ctx.header("User-Agent"));
    }

    /** The Origin header, null when absent; "null" (opaque origins) is treated as absent. */
    static String origin(Context ctx) {
        String o = ctx.header("Origin");
        return o == null || o.equals("null") ? null : o;
    }

    /**
     * The end user behind a Bearer access token (RFC 6750 §2.1) whose session is still live; a token of a revoked
     * session cannot manage sessions even before it expires.
     */
    Bearer bearer(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthException(ErrorCode.INVALID_TOKEN, "a Bearer access token is required");
        }
        VerifiedAccessToken token = accessTokens.verify(auth.substring(7).trim()).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_TOKEN, "the access token is invalid or expired"));
        if (token.sessionId() == null) throw new OAuthException(ErrorCode.INVALID_TOKEN, "the access token has no user session");
        RefreshTokenFamily session = sessions.find(token.sessionId()).filter(sessions::isActive).orElseThrow(() ->
                new OAuthException(ErrorCode.INVALID_TOKEN, "the access token's session has ended"));
        if (!session.userId().equals(token.subject())) throw new OAuthException(ErrorCode.INVALID_TOKEN, "the access token is invalid");
        return new Bearer(token, session);
    }

    record Bearer(VerifiedAccessToken token, RefreshTokenFamily session) {}
}
