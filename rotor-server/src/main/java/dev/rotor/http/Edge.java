package dev.rotor.http;

import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.OAuthException;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.VerifiedAccessToken;
import io.javalin.http.Context;
import java.time.Clock;

/** What every handler gathers from the request: where it came from, and who the bearer is. */
final class Edge {
    private final ClientAddress addresses;
    private final AccessTokens accessTokens;
    private final Sessions sessions;
    private final DeviceCookie devices;
    private final Clock clock;

    Edge(ClientAddress addresses, AccessTokens accessTokens, Sessions sessions, DeviceCookie devices, Clock clock) {
        this.addresses = addresses;
        this.accessTokens = accessTokens;
        this.sessions = sessions;
        this.devices = devices;
        this.clock = clock;
    }

    RequestInfo requestInfo(Context ctx) {
        return new RequestInfo(addresses.of(ctx), ctx.header("User-Agent"));
    }

    /**
     * {@link #requestInfo} of a browser request that signs someone in, with its device: the browser's device id, or a
     * new one for a browser without, whose hash goes with the request. The cookie is set only by {@link #keepDevice},
     * once the sign-in went through or was held for a second factor; a new id is nobody's known device until then.
     */
    RequestInfo signInRequest(Context ctx) {
        DeviceCookie.Device device = devices.identify(ctx);
        ctx.attribute(DEVICE, device);
        return requestInfo(ctx).withDevice(device.hash());
    }

    /** {@link #requestInfo} of a refresh from a browser, with the device cookie it presented (none is issued here). */
    RequestInfo refreshRequest(Context ctx) {
        return requestInfo(ctx).withDevice(devices.presentedHash(ctx).orElse(null));
    }

    /** Sets the device cookie of a sign-in request ({@link #signInRequest}); nothing for any other request. */
    void keepDevice(Context ctx) {
        DeviceCookie.Device device = ctx.attribute(DEVICE);
        if (device != null) devices.keep(ctx, device, clock.instant());
    }

    private static final String DEVICE = "rotor.device";

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
            // RFC 6750 §3.1: no error code in the challenge when the request carried no credentials at all.
            throw new OAuthException(OAuthError.of(ErrorCode.INVALID_TOKEN, "a Bearer access token is required")
                    .withHeader("WWW-Authenticate", auth == null ? BEARER : BEARER + ", error=\"invalid_token\""));
        }
        VerifiedAccessToken token = accessTokens.verify(auth.substring(7).trim()).orElseThrow(() ->
                invalidToken("the access token is invalid or expired"));
        if (token.sessionId() == null) throw invalidToken("the access token has no user session");
        RefreshTokenFamily session = sessions.find(token.sessionId()).filter(sessions::isActive).orElseThrow(() ->
                invalidToken("the access token's session has ended"));
        if (!session.userId().equals(token.subject())) throw invalidToken("the access token is invalid");
        return new Bearer(token, session);
    }

    private static final String BEARER = "Bearer realm=\"rotor\"";

    static OAuthException invalidToken(String description) {
        return new OAuthException(OAuthError.of(ErrorCode.INVALID_TOKEN, description)
                .withHeader("WWW-Authenticate", BEARER + ", error=\"invalid_token\""));
    }

    record Bearer(VerifiedAccessToken token, RefreshTokenFamily session) {}
}
