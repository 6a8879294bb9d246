package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Set;

/**
 * ES256 signatures in one form only, low S. ECDSA is malleable: when {@code (r, s)} is a valid signature, so is
 * {@code (r, n - s)}, with n the order of P-256, so every token would have a second valid spelling that anyone can
 * compute without the key. Neither the JDK nor the native provider normalises (about half of their signatures have
 * {@code s > n/2}), so Rotor's signer turns a high S into {@code n - s}, and its verifier refuses a high S, as Bitcoin
 * does for the same reason (BIP 62).
 */
final class EcdsaLowS {
    /** The order n of P-256 (SEC 2 §2.4.2), from the curve's parameters. */
    private static final BigInteger N = Curve.P_256.toECParameterSpec().getOrder();
    private static final BigInteger HALF_N = N.shiftRight(1);
    /** RFC 7518 §3.4: R and S as 32 bytes each, big-endian. */
    private static final int HALF = 32;

    private EcdsaLowS() {}

    /** Whether the JWS signature {@code R || S} has {@code s <= n/2}; false for anything that is not 64 bytes. */
    static boolean isLowS(byte[] signature) {
        return signature.length == 2 * HALF && s(signature).compareTo(HALF_N) <= 0;
    }

    /** The same signature with {@code s} replaced by {@code n - s} when it is high. */
    static byte[] toLowS(byte[] signature) {
        if (signature.length != 2 * HALF || isLowS(signature)) return signature;
        byte[] low = Arrays.copyOf(signature, signature.length);
        // n - s < n/2 < 2^255 fits in 32 bytes, but toByteArray is minimal: right-align it.
        byte[] s = N.subtract(s(signature)).toByteArray();
        Arrays.fill(low, HALF, 2 * HALF, (byte) 0);
        System.arraycopy(s, 0, low, 2 * HALF - s.length, s.length);
        return low;
    }

    private static BigInteger s(byte[] signature) {
        return new BigInteger(1, Arrays.copyOfRange(signature, HALF, 2 * HALF));
    }

    /** Signs with Nimbus, then normalises S. */
    static final class Signer implements JWSSigner {
        private final ECDSASigner signer;

        Signer(ECDSASigner signer) {
            this.signer = signer;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            return Base64URL.encode(toLowS(signer.sign(header, signingInput).decode()));
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return signer.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return signer.getJCAContext();
        }
    }

    /** Refuses a high S, then verifies with Nimbus. */
    static final class Verifier implements JWSVerifier {
        private final ECDSAVerifier verifier;

        Verifier(ECDSAVerifier verifier) {
            this.verifier = verifier;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            return isLowS(signature.decode()) && verifier.verify(header, signingInput, signature);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return verifier.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return verifier.getJCAContext();
        }
    }
}
