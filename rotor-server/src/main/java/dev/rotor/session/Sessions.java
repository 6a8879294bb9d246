package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sessions and refresh-token rotation: start a family at sign-in, rotate on refresh, revoke on logout. */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    /** Uses kept per family whatever they were, and the latest uses from a new IP or user agent kept besides. */
    public static final int KEEP_RECENT_USES = 8;
    public static final int KEEP_CHANGED_USES = 32;
    /**
     * Reads and conditional writes per refresh before giving up. Each lost write means another request moved the
     * family on; for one presented token that happens at most a few times (a rotation, then retries), so running out
     * means a storm of requests on one family, answered with "try again" rather than a verdict.
     */
    static final int MAX_ATTEMPTS = 4;

    private final RefreshTokenStore store;
    private final RefreshTokenCodec codec;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Duration idleTtl;
    private final RotationRules rules;
    private final LogoutNotices notices;
    private final RefreshCheck check;

    public Sessions(RefreshTokenStore store, RefreshTokenCodec codec, Clock clock, Duration sessionTtl, Duration idleTtl,
                    Duration retryWindow) {
        this(store, codec, clock, sessionTtl, idleTtl, retryWindow, LogoutNotices.NONE, RefreshCheck.NONE);
    }

    /**
     * @param notices which back-channel logouts a revocation queues (with the revocation, in its transaction)
     * @param check   what a refresh that would hand out tokens is asked first (the risk policy)
     */
    public Sessions(RefreshTokenStore store, RefreshTokenCodec codec, Clock clock, Duration sessionTtl, Duration idleTtl,
                    Duration retryWindow, LogoutNotices notices, RefreshCheck check) {
        this.notices = notices;
        this.check = check;
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.idleTtl = idleTtl;
        this.rules = new RotationRules(retryWindow, idleTtl);
    }

    /** A new family and its first refresh token (plaintext, to hand to the client once). */
    public record Started(RefreshTokenFamily family, String refreshToken) {
        @Override
        public String toString() {
            return "Started[family=" + family.id() + "]";
        }
    }

    public Started start(String userId, String clientId, String scope, List<String> amr, String acr,
                         RefreshTokenFamily.Channel channel, RequestInfo request) {
        return start(userId, clientId, scope, amr, acr, clock.instant(), sessionTtl, channel, request, null);
    }

    /** A family for a password sign-in just made; {@code signInNote} is how it went, for the session list (null for nothing). */
    public Started start(String userId, String clientId, String scope, List<String> amr, String acr,
                         RefreshTokenFamily.Channel channel, RequestInfo request, String signInNote) {
        return start(userId, clientId, scope, amr, acr, clock.instant(), sessionTtl, channel, request, signInNote);
    }

    /**
     * A family for a sign-in that happened at {@code authTime} (earlier than now when a single sign-on session
     * vouches for it), living {@code lifetime} from now, at most the configured session lifetime.
     */
    public Started start(String userId, String clientId, String scope, List<String> amr, String acr, Instant authTime,
                         Duration lifetime, RefreshTokenFamily.Channel channel, RequestInfo request) {
        return start(userId, clientId, scope, amr, acr, authTime, lifetime, channel, request, null);
    }

    private Started start(String userId, String clientId, String scope, List<String> amr, String acr, Instant authTime,
                          Duration lifetime, RefreshTokenFamily.Channel channel, RequestInfo request, String signInNote) {
        Instant now = clock.instant();
        Duration life = lifetime.compareTo(sessionTtl) < 0 ? lifetime : sessionTtl;
        RefreshTokenFamily family = new RefreshTokenFamily(UUID.randomUUID().toString(), userId, clientId, scope, now,
                now.plus(life), now, authTime, amr, acr, request.ip(), request.userAgent(), request.ip(), request.userAgent(), 0,
                null, null, channel, null, null, signInNote, request.deviceHash());
        store.create(family, AuditEvent.of(now, "session.created", userId, family.id(), clientId, request,
                Map.of("amr", String.join(" ", amr), "channel", channel.value())));
        return new Started(family, refreshToken(family));
    }

    /** The current refresh token of {@code family} (after a rotation or a retry: the one to hand out). */
    public String refreshToken(RefreshTokenFamily family) {
        return codec.issue(family.id(), family.generation());
    }

    /**
     * A presented refresh token and its family as read now: what a caller checks before rotating (the family's
     * client, its scope, the origin it allows), and the first read of {@link #refresh(Presented, String,
     * RefreshTokenFamily.Channel, RequestInfo)}, so that a refresh checks the token and reads the family once.
     */
    public record Presented(PresentedToken token, RefreshTokenFamily family) {}

    /** The presented value's family, when it is a token of this server (used or not) and its family exists. */
    public Optional<Presented> present(String presented) {
        return parse(presented).flatMap(t -> store.find(t.familyId()).map(f -> new Presented(t, f)));
    }

    /** {@link #refresh(Presented, String, RefreshTokenFamily.Channel, RequestInfo)} of a value not yet presented. */
    public RotationOutcome refresh(String presented, String clientId, RefreshTokenFamily.Channel channel, RequestInfo request) {
        return present(presented).map(p -> refresh(p, clientId, channel, request))
                .orElse(new RotationOutcome.Refused(RotationOutcome.Reason.UNKNOWN));
    }

    /**
     * One presentation of a refresh token by {@code clientId} over {@code channel}: decides with
     * {@link RotationRules} on the family as {@code presented} read it and applies the decision with a conditional
     * change; when another request changed the family in between, reads it again and decides again.
     *
     * @throws ContendedException when the family kept changing under every attempt
     */
    public RotationOutcome refresh(Presented presented, String clientId, RefreshTokenFamily.Channel channel, RequestInfo request) {
        return refresh(presented, clientId, channel, request, null);
    }

    /**
     * {@link #refresh(Presented, String, RefreshTokenFamily.Channel, RequestInfo)} of a refresh that was held for a
     * step-up and whose second factor was just shown: not asked again, and the family's {@code amr} and {@code acr}
     * become {@code steppedUp}'s from this rotation on.
     */
    public RotationOutcome refreshSteppedUp(Presented presented, String clientId, RefreshTokenFamily.Channel channel, RequestInfo request,
                                            StepUp steppedUp) {
        return refresh(presented, clientId, channel, request, Objects.requireNonNull(steppedUp));
    }

    /** What a finished step-up proved: the family's authentication from then on. */
    public record StepUp(List<String> amr, String acr) {}

    /**
     * @param steppedUp null for an ordinary refresh, which {@link RefreshCheck} is asked about (once, whatever the
     *                  number of attempts) when the rules would hand out tokens; a reuse or a refusal is answered first
     */
    private RotationOutcome refresh(Presented presented, String clientId, RefreshTokenFamily.Channel channel, RequestInfo request,
                                    StepUp steppedUp) {
        RotationRules.Presentation p = new RotationRules.Presentation(presented.token(), clientId, channel, clock.instant(), request);
        Optional<RefreshTokenFamily> read = Optional.of(presented.family());
        boolean checked = steppedUp != null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (attempt > 0) read = store.find(p.token().familyId());
            if (read.isEmpty()) return new RotationOutcome.Refused(RotationOutcome.Reason.UNKNOWN);
            RefreshTokenFamily before = read.get();
            RotationOutcome outcome = rules.decide(before, p);
            if (!checked && (outcome instanceof RotationOutcome.Rotated || outcome instanceof RotationOutcome.Retried)) {
                checked = true;
                switch (check.check(before, channel, request)) {
                    case RefreshCheck.Verdict.Allow a -> { }
                    case RefreshCheck.Verdict.StepUp s -> {
                        return new RotationOutcome.HeldForStepUp(before, s);
                    }
                    case RefreshCheck.Verdict.Deny d -> {
                        revoke(before, "risk_denied", d.detail(), request);
                        return new RotationOutcome.Denied(before);
                    }
                }
            }
            if (steppedUp != null && outcome instanceof RotationOutcome.Rotated r) {
                outcome = new RotationOutcome.Rotated(r.family().steppedUp(steppedUp.amr(), steppedUp.acr()));
            }
            boolean applied = switch (outcome) {
                case RotationOutcome.Refused r -> true;
                case RotationOutcome.Rotated r -> store.apply(new FamilyChange.Rotate(before.generation(), r.family(),
                        rules.use(before, p), KEEP_RECENT_USES, KEEP_CHANGED_USES));
                case RotationOutcome.Retried r -> store.apply(new FamilyChange.Retry(r.family()));
                case RotationOutcome.Reused r -> revokeForReuse(r, p);
                case RotationOutcome.HeldForStepUp h -> throw new IllegalStateException("the rules never hold a refresh");
                case RotationOutcome.Denied d -> throw new IllegalStateException("the rules never deny a refresh");
            };
            if (applied) return outcome;
            // Lost the compare-and-set: another request rotated, retried or revoked this family since it was read.
        }
        throw new ContendedException("family " + p.token().familyId() + " changed under " + MAX_ATTEMPTS + " attempts");
    }

    private boolean revokeForReuse(RotationOutcome.Reused reuse, RotationRules.Presentation p) {
        TokenUse firstUse = store.findUse(reuse.family().id(), reuse.presentedGeneration()).orElse(null);
        boolean revoked = store.apply(new FamilyChange.Revoke(reuse.family(), rules.reuseEvent(reuse, firstUse, p),
                notices.forEnded(List.of(reuse.family()))));
        if (revoked) {
            LOG.warn("refresh token reuse: session {} revoked (token generation {}, family at {})", reuse.family().id(),
                    reuse.presentedGeneration(), reuse.family().generation());
        }
        return revoked;
    }

    private Optional<PresentedToken> parse(String presented) {
        return codec.parse(presented).flatMap(p -> switch (p) {
            case RefreshTokenCodec.Presented.Current c -> Optional.of(c.token());
            case RefreshTokenCodec.Presented.Legacy l -> store.findLegacy(l.hash());
        });
    }

    /** The family of a presented token, if the token is one of this server's (used or not) and its family exists. */
    public Optional<RefreshTokenFamily> findByToken(String presented) {
        return present(presented).map(Presented::family);
    }

    public Optional<RefreshTokenFamily> find(String familyId) {
        return store.find(familyId);
    }

    /** The family's kept uses, newest first (forensics: `rotor sessions show`). */
    public List<TokenUse> uses(String familyId) {
        return store.uses(familyId);
    }

    /** True while the family may still be refreshed (not revoked, within absolute and idle lifetime). */
    public boolean isActive(RefreshTokenFamily family) {
        return family.isActive(clock.instant(), idleTtl);
    }

    public List<RefreshTokenFamily> activeFor(String userId) {
        Instant now = clock.instant();
        return store.listForUser(userId, now).stream().filter(s -> s.isActive(now, idleTtl)).toList();
    }

    public List<RefreshTokenFamily> listActive(int limit) {
        Instant now = clock.instant();
        return store.listActive(now, limit).stream().filter(s -> s.isActive(now, idleTtl)).toList();
    }

    /** Revokes the family; false when it was already revoked (or is gone). */
    public boolean revoke(RefreshTokenFamily family, String reason, RequestInfo request) {
        return revoke(family, reason, Map.of(), request);
    }

    /**
     * Revokes the family with a {@code session.revoked} event that carries {@code reason} and {@code detail} (never a
     * token); false when it was already revoked (or is gone).
     */
    public boolean revoke(RefreshTokenFamily family, String reason, Map<String, String> detail, RequestInfo request) {
        Instant now = clock.instant();
        Map<String, String> audited = new LinkedHashMap<>(detail);
        audited.put("reason", reason);
        return store.apply(new FamilyChange.Revoke(family.revoked(now, reason), AuditEvent.of(now, "session.revoked", family.userId(),
                family.id(), family.clientId(), request, audited), notices.forEnded(List.of(family))));
    }

    /**
     * When the family stops being refreshable if nothing uses it before: the earlier of its absolute expiry and its
     * idle expiry as of its last use.
     */
    public Instant endsAt(RefreshTokenFamily family) {
        Instant idle = family.lastUsedAt().plus(idleTtl);
        return idle.isBefore(family.expiresAt()) ? idle : family.expiresAt();
    }

    /**
     * Revokes every live family of the user. The back-channel logouts are for the families read just before (a family
     * started in between by a concurrent sign-in is revoked without one; its client learns of it at its next refresh).
     */
    public int revokeAll(String userId, String reason, RequestInfo request) {
        Instant now = clock.instant();
        List<LogoutNotice> queued = notices.forEnded(store.listForUser(userId, now));
        return store.revokeAllForUser(userId, reason, now,
                AuditEvent.of(now, "session.revoked_all", userId, null, null, request, Map.of("reason", reason)), queued);
    }

    /** Housekeeping: drop families a day past their absolute expiry, with their history. */
    public int deleteExpired() {
        return store.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
    }

    /** The family changed under every attempt of one refresh: the client should try again shortly. */
    public static final class ContendedException extends RuntimeException {
        public ContendedException(String message) {
            super(message);
        }
    }
}
