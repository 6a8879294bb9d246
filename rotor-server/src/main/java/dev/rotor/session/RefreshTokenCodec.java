package dev.rotor.session;

import dev.rotor.crypto.Base64Url;
import dev.rotor.crypto.Digests;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The refresh-token format. A token names its family and generation and carries an HMAC-SHA256 over both under a
 * server key that is stored only sealed by the master key:
 * <pre>base64url( 0x02 | family id (16 bytes) | generation (4 bytes, big-endian) | HMAC (32 bytes) )</pre>
 * 71 characters. So a family's current token is recognised from its family row alone and every earlier token of
 * the family from its generation, with no row per token; a retry's successor is computed, not stored; and a copy
 * of the database alone lets nobody compute a valid token (the MAC key needs the master key). The 256-bit MAC is
 * the token's secret part: the family id and generation in it are not secret.
 *
 * <p>Tokens issued before this format are 43 characters of CSPRNG output, recognised by their SHA-256 (see
 * {@link #parse}); they keep working until their family rotates.
 */
public final class RefreshTokenCodec {
    public static final int LENGTH = 71;
    public static final int LEGACY_LENGTH = 43;
    private static final byte VERSION = 2;
    private static final int BODY = 1 + 16 + 4;
    private static final int MAC_BYTES = 32;

    private final Mac prototype;
    private final SecretKeySpec key;

    /** @param macKey at least 32 bytes from a CSPRNG, the same on every node */
    public RefreshTokenCodec(byte[] macKey) {
        if (macKey.length < 32) throw new IllegalArgumentException("refresh-token MAC key must be at least 32 bytes");
        this.key = new SecretKeySpec(macKey.clone(), "HmacSHA256");
        this.prototype = newMac();
    }

    /** The token of {@code generation} in family {@code familyId}: the same value every time it is asked for. */
    public String issue(String familyId, int generation) {
        UUID id = UUID.fromString(familyId);
        ByteBuffer b = ByteBuffer.allocate(BODY + MAC_BYTES);
        b.put(VERSION).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).putInt(generation);
        b.put(mac(b.array(), BODY));
        return Base64Url.encode(b.array());
    }

    /**
     * What a presented value names, when it is a token this server could have issued; empty for anything else
     * (wrong length or alphabet, non-canonical base64url, unknown version, a MAC that does not verify), so that
     * forged or garbled values never reach the database. A value of the old format comes back as a legacy token
     * whose family the store must look up by hash.
     */
    public Optional<Presented> parse(String token) {
        if (token == null || (token.length() != LENGTH && token.length() != LEGACY_LENGTH)) return Optional.empty();
        // 53 bytes leave 4 unused bits in the last character (32 bytes, 2): only the canonical spelling is accepted.
        byte[] raw = Base64Url.decodeCanonical(token);
        if (raw == null) return Optional.empty();
        if (token.length() == LEGACY_LENGTH) return Optional.of(new Presented.Legacy(Digests.sha256(token)));
        if (raw[0] != VERSION) return Optional.empty();
        byte[] expected = mac(raw, BODY);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, BODY, BODY + MAC_BYTES))) return Optional.empty();
        ByteBuffer b = ByteBuffer.wrap(raw, 1, BODY - 1);
        String familyId = new UUID(b.getLong(), b.getLong()).toString();
        int generation = b.getInt();
        if (generation < 0) return Optional.empty();
        return Optional.of(new Presented.Current(new PresentedToken(familyId, generation, null)));
    }

    /** A parsed value: a token of this format, or an old one known only by its hash. */
    public sealed interface Presented {
        record Current(PresentedToken token) implements Presented {}

        record Legacy(String hash) implements Presented {}
    }

    private byte[] mac(byte[] data, int length) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
