package dev.rotor.signin;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.risk.Assessment;
import dev.rotor.risk.Decision;
import dev.rotor.risk.RefreshContext;
import dev.rotor.risk.RiskEngine;
import dev.rotor.session.RefreshCheck;
import dev.rotor.session.RefreshTokenFamily;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The risk policy on every refresh that would hand out tokens: the request's network, country and browser family
 * against where the session was created and last used. A step-up holds the refresh with an {@code mfa_token} that
 * opens only where the token was presented (the cookie API or the token endpoint), for the session's client; a user
 * with no second factor to show is denied or let through as the policy says, as at sign-in.
 *
 * <p>What is audited: every step-up ({@code refresh.step_up}) and deny ({@code refresh.denied}), and an allowed
 * refresh that scored anything ({@code refresh.allowed}). A refresh that scored nothing is not audited on its own: it
 * is the common case, and the family's recorded uses already say when and from where it happened.
 */
public final class RiskRefreshCheck implements RefreshCheck {
    private final RiskEngine risk;
    private final SecondFactors factors;
    private final MfaTokens mfaTokens;
    private final AuditLog audit;
    private final Clock clock;

    public RiskRefreshCheck(RiskEngine risk, SecondFactors factors, MfaTokens mfaTokens, AuditLog audit, Clock clock) {
        this.risk = risk;
        this.factors = factors;
        this.mfaTokens = mfaTokens;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Verdict check(RefreshTokenFamily family, RefreshTokenFamily.Channel channel, RequestInfo request) {
        Instant now = clock.instant();
        // Scored as if a second factor were there: the second factors are read only when a step-up is asked.
        Assessment a = risk.assessRefresh(RefreshContext.of(family, request.ip(), request.userAgent(), request.deviceHash(), true, now));
        List<String> methods = List.of();
        if (a.decision() == Decision.STEP_UP) {
            methods = factors.methods(family.userId());
            if (methods.isEmpty()) a = risk.withoutSecondFactor(a);
        }
        return switch (a.decision()) {
            case ALLOW -> {
                if (a.score() > 0) record("refresh.allowed", family, request, a.auditDetail(), now);
                yield new Verdict.Allow();
            }
            case STEP_UP -> {
                MfaTokens.Surface surface = channel == RefreshTokenFamily.Channel.COOKIE ? MfaTokens.Surface.COOKIE : MfaTokens.Surface.TOKEN_ENDPOINT;
                String token = mfaTokens.seal(new MfaTokens.Pending(family.userId(), surface, family.clientId(), family.scope(), now,
                        family.id(), null, a.summary()));
                Map<String, String> detail = new LinkedHashMap<>(a.auditDetail());
                detail.put("methods", String.join(" ", methods));
                record("refresh.step_up", family, request, detail, now);
                yield new Verdict.StepUp(token, methods);
            }
            case DENY -> {
                record("refresh.denied", family, request, a.auditDetail(), now);
                yield new Verdict.Deny(a.auditDetail());
            }
        };
    }

    private void record(String type, RefreshTokenFamily family, RequestInfo request, Map<String, String> detail, Instant now) {
        audit.record(AuditEvent.of(now, type, family.userId(), family.id(), family.clientId(), request, detail));
    }
}
