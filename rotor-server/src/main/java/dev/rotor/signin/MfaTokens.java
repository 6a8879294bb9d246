package dev.rotor.signin;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Sealer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code mfa_token} of a sign-in (or a refresh) held for a second factor: who passed the password (or holds the
 * session), on which surface, for which client and scope, from which device, what the risk engine saw, and when, sealed (AES-GCM) under a server key every node shares. Nothing is stored: any node
 * finishes the sign-in. A token opens for {@link #LIFETIME} on the surface it was made for only, and it proves only
 * that the password was right: the second factor's code, single-use, is what finishes.
 */
public final class MfaTokens {
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    static final int MAX_LENGTH = 4096;
    private static final byte[] AAD = "rotor-mfa-token-v2".getBytes(StandardCharsets.US_ASCII);

    private final Sealer sealer;
    private final Clock clock;

    public MfaTokens(Sealer sealer, Clock clock) {
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Where a held sign-in started, and so where it may be finished. */
    public enum Surface { COOKIE, TOKEN_ENDPOINT, PAGE }

    /**
     * A sign-in held for its second factor.
     *
     * @param clientId   the client it is for; null for none (the account page)
     * @param scope      what the finished sign-in grants, as the surface asked; null when it decides later
     * @param passwordAt when the password was checked (or the refresh held)
     * @param familyId   the session of a held refresh; null for a held sign-in
     * @param deviceHash the device the sign-in came from (remembered once it is finished); null when none
     * @param note       what the risk engine saw, for the session list (e.g. {@code new device in Lisbon}); null for nothing
     */
    public record Pending(String userId, Surface surface, String clientId, String scope, Instant passwordAt, String familyId,
                          String deviceHash, String note) {
        /** A held sign-in. */
        public Pending(String userId, Surface surface, String clientId, String scope, Instant passwordAt, String deviceHash, String note) {
            this(userId, surface, clientId, scope, passwordAt, null, deviceHash, note);
        }

        public boolean isRefresh() {
            return familyId != null;
        }
    }

    public String seal(Pending p) {
        byte[][] parts = {bytes(p.userId()), bytes(p.clientId()), bytes(p.scope()), bytes(p.familyId()), bytes(p.deviceHash()), bytes(p.note())};
        int size = 8 + 1;
        for (byte[] part : parts) size += 4 + (part == null ? 0 : part.length);
        ByteBuffer b = ByteBuffer.allocate(size).putLong(p.passwordAt().toEpochMilli()).put((byte) p.surface().ordinal());
        for (byte[] part : parts) {
            if (part == null) b.putInt(-1);
            else b.putInt(part.length).put(part);
        }
        return Base64Url.encode(sealer.seal(b.array(), AAD));
    }

    /** Empty when the token is malformed, forged, older than {@link #LIFETIME} or made on another surface. */
    public Optional<Pending> open(String token, Surface expected) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) return Optional.empty();
        try {
            ByteBuffer b = ByteBuffer.wrap(sealer.open(Base64Url.decodeCanonical(token), AAD));
            Instant at = Instant.ofEpochMilli(b.getLong());
            Surface surface = Surface.values()[b.get()];
            String userId = string(b);
            String clientId = string(b);
            String scope = string(b);
            String familyId = string(b);
            String deviceHash = string(b);
            String note = string(b);
            Instant now = clock.instant();
            if (surface != expected || b.hasRemaining() || userId == null || now.isAfter(at.plus(LIFETIME)) || at.isAfter(now.plusSeconds(60))) {
                return Optional.empty();
            }
            return Optional.of(new Pending(userId, surface, clientId, scope, at, familyId, deviceHash, note));
        } catch (GeneralSecurityException | RuntimeException e) {
            // Forged, damaged or not ours: nothing to say beyond "not a token".
            return Optional.empty();
        }
    }

    /** A null value is written as length -1. */
    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0) return null;
        byte[] v = new byte[n];
        b.get(v);
        return new String(v, StandardCharsets.UTF_8);
    }
}
