package dev.rotor.oauth.authorize;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Digests;
import dev.rotor.sso.SsoSession;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Issues and redeems authorization codes: 256 random bits, stored by hash, single use, {@link #LIFETIME} long. */
public final class AuthorizationCodes {
    /** OAuth 2.1 §4.1.2 recommends at most 10 minutes; a minute is ample for a redirect and a token request. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Redeemed codes are kept this long after expiry, so that a late replay still revokes what the code started. */
    static final Duration KEPT_FOR_REPLAY = Duration.ofDays(1);
    static final int MAX_LENGTH = 64;

    private final AuthorizationCodeStore store;
    private final Clock clock;
    private final SecureRandom random;

    public AuthorizationCodes(AuthorizationCodeStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    /** A new code for the request, signed in by {@code session}; returns the code to hand out once. */
    public String issue(AuthorizationRequest request, SsoSession session) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = Base64Url.encode(bytes);
        Instant now = clock.instant();
        store.create(Digests.sha256(code), new AuthorizationCode(request.client().id(), session.userId(), request.redirectUri(),
                request.scope(), request.codeChallenge(), request.nonce(), session.id(), session.authTime(), session.amr(), session.acr(),
                now, now.plus(LIFETIME), null, null));
        return code;
    }

    /** What presenting a code found. */
    public sealed interface Redemption permits Redeemed, Replayed, Invalid {}

    /** First redemption of a live code. */
    public record Redeemed(String hash, AuthorizationCode code) implements Redemption {}

    /** The code was redeemed before: what that redemption started must be revoked. */
    public record Replayed(AuthorizationCode code) implements Redemption {}

    /** Unknown, malformed or expired. */
    public record Invalid(String why) implements Redemption {}

    public Redemption redeem(String code) {
        if (code == null || code.length() > MAX_LENGTH) return new Invalid("malformed");
        String hash = Digests.sha256(code);
        Optional<AuthorizationCode> found = store.find(hash);
        if (found.isEmpty()) return new Invalid("unknown");
        AuthorizationCode c = found.get();
        Instant now = clock.instant();
        if (c.redeemedAt() != null) return new Replayed(c);
        if (!now.isBefore(c.expiresAt())) return new Invalid("expired");
        // The conditional update decides between concurrent redemptions; the loser sees a replay.
        if (!store.redeem(hash, now)) return new Replayed(store.find(hash).orElse(c));
        return new Redeemed(hash, c);
    }

    public void recordFamily(Redeemed redeemed, String familyId) {
        store.recordFamily(redeemed.hash(), familyId);
    }

    public int deleteExpired() {
        return store.deleteExpired(clock.instant().minus(KEPT_FOR_REPLAY));
    }
}
