package dev.rotor.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key pair. The private half is stored only sealed under the master key.
 *
 * @param publicJwk     the public JWK as JSON
 * @param privateSealed the private JWK JSON, AES-GCM sealed; null once retired
 * @param activatedAt   when it started signing (null while next)
 * @param retireAt      when a retiring key leaves the JWKS (every token it signed has expired by then)
 */
public record SigningKey(String kid, String alg, State state, String publicJwk, byte[] privateSealed,
                         Instant createdAt, Instant activatedAt, Instant retireAt) {

    /** Life cycle: NEXT (published, not signing) → ACTIVE (signing) → RETIRING (published) → RETIRED. */
    public enum State {
        NEXT, ACTIVE, RETIRING, RETIRED;

        public String value() {
            return name().toLowerCase();
        }

        public static State of(String value) {
            return valueOf(value.toUpperCase());
        }
    }

    public SigningKey {
        Objects.requireNonNull(kid);
        Objects.requireNonNull(alg);
        Objects.requireNonNull(state);
        Objects.requireNonNull(publicJwk);
    }

    public boolean isPublished() {
        return state != State.RETIRED;
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", alg=" + alg + ", state=" + state.value() + "]";
    }
}
