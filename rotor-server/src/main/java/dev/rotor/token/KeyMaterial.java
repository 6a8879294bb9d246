package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.text.ParseException;

/** Key generation, signers and verifiers for the three supported algorithms, through Nimbus. */
final class KeyMaterial {
    private KeyMaterial() {}

    static JWK generate(String alg, String kid) throws JOSEException {
        return switch (alg) {
            case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
            case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
            case "EdDSA" -> generateEd25519(kid);
            default -> throw new IllegalArgumentException("unsupported signing algorithm " + alg);
        };
    }

    // Nimbus's own OctetKeyPairGenerator and Ed25519Signer need Google Tink; the JDK (and the native provider)
    // implement Ed25519 directly, so the key pair comes from JCA and is expressed as an OKP JWK (RFC 8037).
    private static JWK generateEd25519(String kid) throws JOSEException {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            EdECPublicKey pub = (EdECPublicKey) pair.getPublic();
            byte[] d = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Ed25519Jca.encodePoint(pub.getPoint())))
                    .d(Base64URL.encode(d)).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new JOSEException("Ed25519 unavailable: " + e.getMessage(), e);
        }
    }

    static JWSSigner signer(JWK privateJwk) throws JOSEException {
        if (privateJwk instanceof ECKey ec) return new EcdsaLowS.Signer(new ECDSASigner(ec));
        if (privateJwk instanceof RSAKey rsa) return new RSASSASigner(rsa);
        if (privateJwk instanceof OctetKeyPair okp) return new Ed25519Jca.Signer(okp);
        throw new JOSEException("unsupported key type " + privateJwk.getKeyType());
    }

    static JWSVerifier verifier(JWK publicJwk) throws JOSEException {
        if (publicJwk instanceof ECKey ec) return new EcdsaLowS.Verifier(new ECDSAVerifier(ec));
        if (publicJwk instanceof RSAKey rsa) return new RSASSAVerifier(rsa);
        if (publicJwk instanceof OctetKeyPair okp) return new Ed25519Jca.Verifier(okp);
        throw new JOSEException("unsupported key type " + publicJwk.getKeyType());
    }

    static JWK parse(String json) throws ParseException {
        return JWK.parse(json);
    }
}
