package dev.rotor.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.oauth.BrowserFlow;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.TokenResponse;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.source.Place;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first-party browser API under {@code /auth}: the cookie flow and the end user's sessions. */
final class BrowserRoutes {
    private final BrowserFlow flow;
    private final Sessions sessions;
    private final HttpOnlyCookie cookie;
    private final Edge edge;
    private final Clock clock;
    private final Cors cors;
    private final RiskEngine risk;

    BrowserRoutes(BrowserFlow flow, Sessions sessions, ClientRegistry clients, HttpOnlyCookie cookie, Edge edge, Clock clock, RiskEngine risk) {
        this.risk = risk;
        this.flow = flow;
        this.sessions = sessions;
        this.cookie = cookie;
        this.edge = edge;
        this.clock = clock;
        this.cors = Cors.withCredentials(clients);
    }

    /** CORS for the SPA origins of registered clients, with credentials: these requests carry the refresh cookie. */
    void cors(Context ctx) {
        cors.headers(ctx);
    }

    void preflight(Context ctx) {
        cors.preflight(ctx, "GET, POST, DELETE");
    }

    void login(Context ctx) {
        OAuthErrors.noStore(ctx);
        JsonNode body = Json.object(ctx);
        TokenResponse r;
        try {
            r = flow.login(Json.string(body, "client_id"), Edge.origin(ctx), Json.string(body, "username"), Json.string(body, "password"),
                    edge.signInRequest(ctx));
        } catch (OAuthException e) {
            // Held for a second factor: the browser keeps its device id, so that finishing remembers the same device.
            if (e.error().code() == ErrorCode.MFA_REQUIRED) edge.keepDevice(ctx);
            throw e;
        }
        answer(ctx, r);
    }

    /** {@code POST /auth/mfa}: {@code {mfa_token, code}} or {@code {mfa_token, recovery_code}}. */
    void secondFactor(Context ctx) {
        OAuthErrors.noStore(ctx);
        JsonNode body = Json.object(ctx);
        Map<String, String> fields = new HashMap<>();
        for (String name : List.of("code", "recovery_code")) {
            String v = Json.string(body, name);
            if (v != null) fields.put(name, v);
        }
        answer(ctx, flow.secondFactor(Json.string(body, "mfa_token"), AuthorizeRoutes.proof(fields), cookie.read(ctx), Edge.origin(ctx),
                edge.signInRequest(ctx)));
    }

    void refresh(Context ctx) {
        OAuthErrors.noStore(ctx);
        try {
            answer(ctx, flow.refresh(cookie.read(ctx), Edge.origin(ctx), edge.refreshRequest(ctx)));
        } catch (OAuthException e) {
            if (e.error().code() == ErrorCode.INVALID_GRANT) {
                // A dead token: tell the browser to drop it, and answer 401 so the app knows to sign in again.
                cookie.clear(ctx);
                throw new OAuthException(e.error().withStatus(401));
            }
            throw e;
        }
    }

    void logout(Context ctx) {
        OAuthErrors.noStore(ctx);
        flow.logout(cookie.read(ctx), Edge.origin(ctx), edge.requestInfo(ctx));
        cookie.clear(ctx);
        ctx.status(204);
    }

    void logoutAll(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        int n = sessions.revokeAll(bearer.session().userId(), "logout_all", edge.requestInfo(ctx));
        cookie.clear(ctx);
        Json.send(ctx, 200, Map.of("revoked", n));
    }

    void list(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (RefreshTokenFamily s : sessions.activeFor(bearer.session().userId())) out.add(describe(s, s.id().equals(bearer.session().id())));
        Json.send(ctx, 200, Map.of("sessions", out));
    }

    void revoke(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        String id = ctx.pathParam("id");
        RefreshTokenFamily target = sessions.find(id).filter(s -> s.userId().equals(bearer.session().userId())).filter(sessions::isActive)
                // Another user's session answers like a missing one: ids are not confirmed to strangers.
                .orElseThrow(() -> HttpFailure.NOT_FOUND.refusal("no such session"));
        sessions.revoke(target, "user_revoked", edge.requestInfo(ctx));
        if (target.id().equals(bearer.session().id())) cookie.clear(ctx);
        ctx.status(204);
    }

    private void answer(Context ctx, TokenResponse r) {
        edge.keepDevice(ctx);
        cookie.set(ctx, r.refreshToken(), r.family().expiresAt(), clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", r.accessToken().value());
        body.put("token_type", "Bearer");
        body.put("expires_in", r.accessToken().expiresIn());
        Json.send(ctx, 200, body);
    }

    /**
     * One session as its owner sees it: {@code place} is where its last use was (GeoIP; null without a database), and
     * {@code sign_in} how its sign-in went when there is something to say ("new device in Lisbon, verified with TOTP").
     */
    private Map<String, Object> describe(RefreshTokenFamily s, boolean current) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("client_id", s.clientId());
        m.put("created_at", s.createdAt().toString());
        m.put("last_used_at", s.lastUsedAt().toString());
        m.put("expires_at", s.expiresAt().toString());
        m.put("ip", s.lastIp());
        m.put("user_agent", s.lastUserAgent());
        m.put("device", UserAgents.describe(s.lastUserAgent()));
        Place place = risk.place(s.lastIp());
        m.put("place", place.label() == null ? null : place.city() != null && place.country() != null ? place.city() + ", " + place.country()
                : place.label());
        m.put("sign_in", s.signInNote());
        m.put("current", current);
        return m;
    }
}
