package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * Nimbus signer and verifier for EdDSA/Ed25519 backed by JCA instead of Tink (see {@link KeyMaterial}): Nimbus
 * does the JOSE framing, JCA does the signature.
 */
final class Ed25519Jca {
    private static final Set<JWSAlgorithm> ALGS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private Ed25519Jca() {}

    /** RFC 8032 §5.1.2 encoding: y little-endian, the top bit of the last byte holds x's parity. */
    static byte[] encodePoint(EdECPoint point) {
        byte[] be = point.getY().toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < be.length && i < 32; i++) le[i] = be[be.length - 1 - i];
        if (point.isXOdd()) le[31] |= (byte) 0x80;
        return le;
    }

    static EdECPoint decodePoint(byte[] le) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = le[31 - i];
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        return new EdECPoint(xOdd, new BigInteger(1, be));
    }

    static final class Signer implements JWSSigner {
        private final PrivateKey key;
        private final JCAContext jca = new JCAContext();

        Signer(OctetKeyPair okp) throws JOSEException {
            try {
                key = KeyFactory.getInstance("Ed25519").generatePrivate(
                        new EdECPrivateKeySpec(NamedParameterSpec.ED25519, okp.getDecodedD()));
            } catch (GeneralSecurityException e) {
                throw new JOSEException("bad Ed25519 private key", e);
            }
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(signingInput);
                return Base64URL.encode(s.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 signing failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }

    static final class Verifier implements JWSVerifier {
        private final PublicKey key;
        private final JCAContext jca = new JCAContext();

        Verifier(OctetKeyPair okp) throws JOSEException {
            try {
                key = KeyFactory.getInstance("Ed25519").generatePublic(
                        new EdECPublicKeySpec(NamedParameterSpec.ED25519, decodePoint(okp.getDecodedX())));
            } catch (GeneralSecurityException e) {
                throw new JOSEException("bad Ed25519 public key", e);
            }
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(signingInput);
                return s.verify(signature.decode());
            } catch (java.security.SignatureException e) {
                return false;
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 verification failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
