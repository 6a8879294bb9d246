package dev.rotor.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption of small secrets at rest (private keys, the refresh-token MAC key).
 * Output is {@code nonce(12) || ciphertext+tag}. The associated data binds a ciphertext to its row, so a
 * sealed value copied to another row does not open.
 */
public final class Sealer {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private final SecretKey key;
    private final SecureRandom random;

    public Sealer(byte[] key, SecureRandom random) {
        if (key.length != 32) throw new IllegalArgumentException("master key must be 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] out = new byte[NONCE + c.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            c.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws GeneralSecurityException when the value was not sealed under this key and associated data */
    public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.length < NONCE + TAG_BITS / 8) throw new GeneralSecurityException("sealed value too short");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        c.updateAAD(associatedData);
        return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    }
}
