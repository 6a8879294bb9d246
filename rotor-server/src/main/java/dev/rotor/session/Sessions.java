package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sessions and refresh-token rotation: start a family at sign-in, rotate on refresh, revoke on logout. */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    private final RefreshTokenStore store;
    private final Sealer graceSealer;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration sessionTtl;
    private final Duration idleTtl;
    private final Duration grace;
    private final RotationRules rules;

    public Sessions(RefreshTokenStore store, Sealer graceSealer, Clock clock, SecureRandom random,
                    Duration sessionTtl, Duration idleTtl, Duration grace) {
        this.store = store;
        this.graceSealer = graceSealer;
        this.clock = clock;
        this.random = random;
        this.sessionTtl = sessionTtl;
        this.idleTtl = idleTtl;
        this.grace = grace;
        this.rules = new RotationRules(grace, idleTtl);
    }

    /** A new session and its first refresh token (plaintext, to hand to the client once). */
    public record Started(Session session, String refreshToken) {
        @Override
        public String toString() {
            return "Started[session=" + session.id() + "]";
        }
    }

    public Started start(String userId, String clientId, String scope, List<String> amr, String acr, RequestInfo request) {
        Instant now = clock.instant();
        RefreshTokens.NewToken first = RefreshTokens.generate(random);
        Session session = new Session(UUID.randomUUID().toString(), userId, clientId, scope, now, now.plus(sessionTtl), now, now,
                amr, acr, request.ip(), request.userAgent(), request.ip(), request.userAgent(), 0, null, null);
        store.create(session, first.hash(), AuditEvent.of(now, "session.created", userId, session.id(), clientId, request,
                Map.of("amr", String.join(" ", amr))));
        return new Started(session, first.plaintext());
    }

    /** Rotates a presented refresh token for {@code clientId}; see {@link RefreshTokenStore#rotate}. */
    public RotationOutcome refresh(String presented, String clientId, RequestInfo request) {
        if (!RefreshTokens.isWellFormed(presented)) return new RotationOutcome.Refused(Decision.UNKNOWN);
        Instant now = clock.instant();
        String hash = RefreshTokens.hash(presented);
        RefreshTokens.NewToken successor = RefreshTokens.generate(random);
        byte[] sealed = grace.isZero() ? null
                : graceSealer.seal(successor.plaintext().getBytes(StandardCharsets.US_ASCII), aad(hash));
        RotationResult result = store.rotate(new RotationAttempt(hash, clientId, now, request, successor, sealed), rules);
        return switch (result.decision()) {
            case ROTATE -> new RotationOutcome.Rotated(result.session(), successor.plaintext());
            case GRACE_REPLAY -> graceReplay(result);
            case REUSE -> {
                LOG.warn("refresh token reuse: session {} revoked (token generation {}, family at {})",
                        result.session().id(), result.token().generation(), result.session().generation());
                yield new RotationOutcome.Reused(result.session());
            }
            case UNKNOWN, EXPIRED, REVOKED, WRONG_CLIENT -> new RotationOutcome.Refused(result.decision());
        };
    }

    private RotationOutcome graceReplay(RotationResult result) {
        try {
            byte[] plain = graceSealer.open(result.token().graceSealed(), aad(result.token().hash()));
            return new RotationOutcome.GraceReplay(result.session(), new String(plain, StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            // Cannot happen unless the master key changed under a running window; refuse rather than fork.
            LOG.error("grace secret of session {} did not open: {}", result.session().id(), e.toString());
            return new RotationOutcome.Refused(Decision.REVOKED);
        }
    }

    private static byte[] aad(String tokenHash) {
        return ("rotor-grace:" + tokenHash).getBytes(StandardCharsets.US_ASCII);
    }

    /** The family of a presented token, if the token is well formed and known (used or not). */
    public Optional<Session> findByToken(String presented) {
        if (!RefreshTokens.isWellFormed(presented)) return Optional.empty();
        return store.findByTokenHash(RefreshTokens.hash(presented));
    }

    public Optional<Session> find(String sessionId) {
        return store.find(sessionId);
    }

    /** True while the session may still be refreshed (not revoked, within absolute and idle lifetime). */
    public boolean isActive(Session session) {
        return session.isActive(clock.instant(), idleTtl);
    }

    public List<Session> activeFor(String userId) {
        Instant now = clock.instant();
        return store.listForUser(userId, now).stream().filter(s -> s.isActive(now, idleTtl)).toList();
    }

    public List<Session> listActive(int limit) {
        Instant now = clock.instant();
        return store.listActive(now, limit).stream().filter(s -> s.isActive(now, idleTtl)).toList();
    }

    public boolean revoke(Session session, String reason, RequestInfo request) {
        Instant now = clock.instant();
        return store.revoke(session.id(), reason, now, AuditEvent.of(now, "session.revoked", session.userId(), session.id(),
                session.clientId(), request, Map.of("reason", reason)));
    }

    public int revokeAll(String userId, String reason, RequestInfo request) {
        Instant now = clock.instant();
        return store.revokeAllForUser(userId, reason, now,
                AuditEvent.of(now, "session.revoked_all", userId, null, null, request, Map.of("reason", reason)));
    }

    /** Housekeeping, every few seconds: wipe the grace secrets whose window is over. */
    public int wipeGraceSecrets() {
        return store.wipeGraceSecrets(clock.instant().minus(grace));
    }

    /** Housekeeping: drop families a day past their absolute expiry, with their tokens. */
    public int deleteExpired() {
        return store.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
    }
}
