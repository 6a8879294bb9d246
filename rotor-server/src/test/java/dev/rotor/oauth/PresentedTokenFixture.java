package dev.rotor.oauth;

import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.InMemorySigningKeyStore;
import dev.rotor.token.KeyRing;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The core of the revocation and introspection endpoints on in-memory stores under a test clock: users, clients,
 * sessions and real signed access tokens, plus tokens this server did not issue (another key, issuer or audience).
 */
final class PresentedTokenFixture {
    static final String ISSUER = "https://auth.example.test";
    static final String AUDIENCE = "https://api.example.test";
    static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    static final Duration RETRY = Duration.ofHours(1);
    static final String SCOPE = "openid profile";
    static final String BACKEND_SECRET = "backend-secret-backend-secret-0123456789";
    static final String RESOURCE_SECRET = "resource-secret-resource-secret-0123456";
    static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");

    final MutableClock clock = new MutableClock();
    final SecureRandom random = new SecureRandom();
    final InMemoryRefreshTokenStore refreshStore = new InMemoryRefreshTokenStore();
    final RefreshTokenCodec codec;
    final Sessions sessions;
    final InMemoryUserStore users = new InMemoryUserStore();
    final InMemoryClientStore clientStore = new InMemoryClientStore();
    final ClientRegistry clients = new ClientRegistry(clientStore, clock, Set.of());
    final AccessTokens accessTokens;
    /** Same issuer and audience, signed by a key this server never had. */
    final AccessTokens foreignKey;
    /** Signed by this server's key, for another audience. */
    final AccessTokens otherAudience;
    /** Signed by this server's key, in another issuer's name. */
    final AccessTokens otherIssuer;
    final List<AuditEvent> audited = new ArrayList<>();
    final AuditLog audit = new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            audited.add(event);
        }

        @Override
        public List<AuditEvent> after(long afterId, int limit) {
            return List.copyOf(audited);
        }

        @Override
        public List<AuditEvent> tail(int limit) {
            return List.copyOf(audited);
        }
    };
    final TokenLookup lookup;

    PresentedTokenFixture() {
        byte[] macKey = new byte[32];
        random.nextBytes(macKey);
        codec = new RefreshTokenCodec(macKey);
        sessions = new Sessions(refreshStore, codec, clock, Duration.ofDays(7), Duration.ofDays(7), RETRY);
        KeyRing ours = ring();
        accessTokens = new AccessTokens(ours, clock, random, ISSUER, AUDIENCE, ACCESS_TTL);
        foreignKey = new AccessTokens(ring(), clock, random, ISSUER, AUDIENCE, ACCESS_TTL);
        otherAudience = new AccessTokens(ours, clock, random, ISSUER, "https://other-api.example.test", ACCESS_TTL);
        otherIssuer = new AccessTokens(ours, clock, random, "https://other-auth.example.test", AUDIENCE, ACCESS_TTL);
        lookup = new TokenLookup(sessions, accessTokens);
        users.add(new User("user-alice", "alice", "alice@example.test", "Alice", null, false, MutableClock.T0));
        users.add(new User("user-bob", "bob", null, null, null, false, MutableClock.T0));
        clientStore.add(publicClient("native"));
        clientStore.add(publicClient("other-native"));
        clientStore.add(confidential("backend", BACKEND_SECRET));
        clientStore.add(confidential("resource", RESOURCE_SECRET));
    }

    private KeyRing ring() {
        KeyRing ring = new KeyRing(new InMemorySigningKeyStore(), new Sealer(new byte[32], random), clock, "ES256", ACCESS_TTL, Duration.ZERO);
        ring.start();
        return ring;
    }

    private static Client publicClient(String id) {
        return new Client(id, Client.Type.PUBLIC, null, List.of(), Set.of("password", "refresh_token"), Set.of(), true, SCOPE,
                MutableClock.T0, Set.of());
    }

    private static Client confidential(String id, String secret) {
        return new Client(id, Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret(secret), List.of(),
                Set.of("password", "refresh_token", "client_credentials"), Set.of(), true, SCOPE, MutableClock.T0, Set.of());
    }

    /** A new session of {@code userId} at {@code clientId}, over the token endpoint. */
    Sessions.Started session(String userId, String clientId) {
        return sessions.start(userId, clientId, SCOPE, List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP);
    }

    /** The session's token after one rotation (the first one is then used). */
    String rotate(Sessions.Started s, String token) {
        return switch (sessions.refresh(token, s.family().clientId(), RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP)) {
            case dev.rotor.session.RotationOutcome.Rotated r -> sessions.refreshToken(r.family());
            default -> throw new AssertionError("not rotated");
        };
    }

    /** An access token for the session, as the grants issue it. */
    String accessToken(Sessions.Started s) {
        return accessToken(accessTokens, s);
    }

    String accessToken(AccessTokens issuer, Sessions.Started s) {
        RefreshTokenFamily f = s.family();
        return issuer.issue(new AccessTokenRequest(f.userId(), f.clientId(), f.scope(), f.id(), f.authTime(), f.amr(), f.acr(), Map.of())).value();
    }

    /** A client_credentials access token: no session, the client is the subject. */
    String clientToken(String clientId) {
        return accessTokens.issue(new AccessTokenRequest(clientId, clientId, "orders:read", null, null, null, null, Map.of())).value();
    }

    RefreshTokenFamily family(Sessions.Started s) {
        return sessions.find(s.family().id()).orElseThrow();
    }

    static ClientCredentials publicClientId(String id) {
        return new ClientCredentials(id, null, false);
    }

    static ClientCredentials backend() {
        return new ClientCredentials("backend", BACKEND_SECRET, true);
    }

    static ClientCredentials resource() {
        return new ClientCredentials("resource", RESOURCE_SECRET, true);
    }

    List<AuditEvent> sessionRevocations() {
        return refreshStore.events().stream().filter(e -> e.type().equals("session.revoked")).toList();
    }
}
