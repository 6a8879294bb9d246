package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rotation and reuse-detection rules as pure functions of a family as read and one presentation of a token.
 * The core applies what they decide through the store's conditional changes; when a change does not take effect,
 * it reads the family again and asks again.
 */
public final class RotationRules {
    static final String REUSE_REASON = "refresh_token_reuse";

    private final Duration retryWindow;
    private final Duration idleTtl;

    /** @param retryWindow how long a used token whose successor was never presented gets that successor again; 0 = never */
    public RotationRules(Duration retryWindow, Duration idleTtl) {
        this.retryWindow = Objects.requireNonNull(retryWindow);
        this.idleTtl = Objects.requireNonNull(idleTtl);
    }

    /** One presentation of a token of {@code family} by {@code clientId} over {@code channel}. */
    public record Presentation(PresentedToken token, String clientId, RefreshTokenFamily.Channel channel, Instant now,
                               RequestInfo request) {}

    public RotationOutcome decide(RefreshTokenFamily family, Presentation p) {
        PresentedToken token = p.token();
        if (token.generation() > family.generation()) return refused(RotationOutcome.Reason.AHEAD);
        boolean current = token.isCurrentOf(family);
        boolean sameClient = family.clientId().equals(p.clientId());
        // RFC 6749 §6: the refresh token was issued to another client; it learns nothing and nothing changes.
        if (current && !sameClient) return refused(RotationOutcome.Reason.WRONG_CLIENT);
        if (family.isRevoked()) return refused(RotationOutcome.Reason.REVOKED);
        if (family.isExpired(p.now(), idleTtl)) return refused(RotationOutcome.Reason.EXPIRED);
        if (family.channel() != null && family.channel() != p.channel()) return refused(RotationOutcome.Reason.WRONG_CHANNEL);
        if (current) return new RotationOutcome.Rotated(family.rotated(p.now(), p.request().ip(), p.request().userAgent()));
        if (sameClient && isRetry(family, token, p.now())) {
            return new RotationOutcome.Retried(family.touched(p.now(), p.request().ip(), p.request().userAgent()));
        }
        // RFC 9700 §4.14.2 (RFC 6819 §5.2.2.3): a used token came back after its successor was presented, after the
        // retry window, or from another client. One of its holders is an attacker and we cannot tell which, so the
        // whole family dies.
        return new RotationOutcome.Reused(family.revoked(p.now(), REUSE_REASON), token.generation());
    }

    /**
     * A retry: the presented token is the one just before the current one, so its successor (the current token)
     * has never been presented, and the window since that rotation is still open. The successor must have been
     * issued in the format that can be computed again; one issued before it cannot be given back.
     */
    private boolean isRetry(RefreshTokenFamily family, PresentedToken token, Instant now) {
        return !retryWindow.isZero()
                && token.generation() == family.generation() - 1
                && family.legacyHash() == null
                && family.rotatedAt() != null
                && now.isBefore(family.rotatedAt().plus(retryWindow));
    }

    /** The use a rotation records: the first use of the presented token. */
    public TokenUse use(RefreshTokenFamily before, Presentation p) {
        RequestInfo r = p.request();
        boolean changed = !Objects.equals(before.lastIp(), r.ip()) || !Objects.equals(before.lastUserAgent(), r.userAgent());
        return new TokenUse(before.generation(), p.now(), r.ip(), r.userAgent(), changed);
    }

    /** The audit record of a detected reuse, with both uses of the token (the first one when it is still kept). */
    public AuditEvent reuseEvent(RotationOutcome.Reused reuse, TokenUse firstUse, Presentation p) {
        RefreshTokenFamily f = reuse.family();
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("generation", Integer.toString(reuse.presentedGeneration()));
        detail.put("family_generation", Integer.toString(f.generation()));
        detail.put("first_use_at", firstUse == null ? "not kept" : firstUse.at().toString());
        detail.put("first_use_ip", firstUse == null ? "not kept" : String.valueOf(firstUse.ip()));
        detail.put("first_use_user_agent", firstUse == null ? "not kept" : String.valueOf(firstUse.userAgent()));
        detail.put("reuse_at", p.now().toString());
        detail.put("reuse_ip", String.valueOf(p.request().ip()));
        detail.put("reuse_user_agent", String.valueOf(p.request().userAgent()));
        detail.put("reuse_client_id", p.clientId());
        return AuditEvent.of(p.now(), "refresh_token.reuse_detected", f.userId(), f.id(), f.clientId(), p.request(), detail);
    }

    private static RotationOutcome refused(RotationOutcome.Reason reason) {
        return new RotationOutcome.Refused(reason);
    }
}
