package dev.rotor.oauth.authorize;

import dev.rotor.oauth.Client;
import dev.rotor.session.MutableClock;
import dev.rotor.sso.SsoSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Clients, requests and sessions the authorization-endpoint unit tests share. */
final class AuthorizeFixtures {
    static final String REDIRECT = "https://app.example.test/cb";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    /** A first-party public client: no consent page. */
    static final Client WEB = new Client("web", Client.Type.PUBLIC, null, List.of(REDIRECT, "http://127.0.0.1/native/cb"),
            Set.of("authorization_code", "refresh_token"), Set.of(), true, "openid profile email offline_access", MutableClock.T0, Set.of());
    /** A third-party confidential client: asks for consent. */
    static final Client PARTNER = new Client("partner", Client.Type.CONFIDENTIAL, "c2VjcmV0", List.of("https://partner.example.test/cb"),
            Set.of("authorization_code"), Set.of(), false, "openid profile email", MutableClock.T0, Set.of());
    /** Registered for client_credentials only. */
    static final Client MACHINE = new Client("machine", Client.Type.CONFIDENTIAL, "c2VjcmV0", List.of("https://machine.example.test/cb"),
            Set.of("client_credentials"), Set.of(), true, "openid", MutableClock.T0, Set.of());

    private AuthorizeFixtures() {}

    static AuthorizationRequest request(Client client, String redirectUri, String scope) {
        return new AuthorizationRequest(client, redirectUri, scope, "xyz", "n-0S6", CHALLENGE, ResponseMode.QUERY, Set.of(), null, null,
                Map.of("client_id", client.id()));
    }

    static SsoSession session(String id, String userId, MutableClock clock) {
        return new SsoSession(id, userId, clock.instant().minusSeconds(30), List.of("pwd"), "1", clock.instant(),
                clock.instant().plus(Duration.ofDays(1)), clock.instant(), "203.0.113.7", "Firefox/128", null, null);
    }

    /** An audit log that keeps what it is given. */
}
