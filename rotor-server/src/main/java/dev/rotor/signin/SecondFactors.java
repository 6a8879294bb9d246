package dev.rotor.signin;

import dev.rotor.audit.RequestInfo;
import java.util.List;

/**
 * The second factors of users (TOTP and recovery codes), as sign-in sees them: which a user has, and whether a code
 * proves one. Sign-in asks for a second factor when the user has one or the risk policy wants it; this port
 * answers, and keeps each code single-use.
 */
public interface SecondFactors {
    /** No user has a second factor: for a server without any, and for tests of other things. */
    SecondFactors NONE = new SecondFactors() {
        @Override
        public List<String> methods(String userId) {
            return List.of();
        }

        @Override
        public boolean verify(String userId, Proof proof, RequestInfo request) {
            return false;
        }
    };

    /** The method names of {@code mfa_methods}, in this order when present. */
    String TOTP = "totp";
    String RECOVERY_CODE = "recovery_code";

    /** What a user offers as a second factor. */
    sealed interface Proof {
        /** A 6-digit code from the user's authenticator app. */
        record Otp(String code) implements Proof {
            @Override
            public String toString() {
                return "Otp[***]";
            }
        }

        /** One of the recovery codes shown once at enrolment. */
        record RecoveryCode(String code) implements Proof {
            @Override
            public String toString() {
                return "RecoveryCode[***]";
            }
        }
    }

    /** The methods {@code userId} can complete a step-up with ({@link #TOTP}, {@link #RECOVERY_CODE}); empty for none. */
    List<String> methods(String userId);

    /**
     * True when {@code proof} is right for the user now, and never again for the same code: a TOTP code is accepted
     * once (within its time steps, on every node), a recovery code is spent. False for a wrong, reused or malformed
     * code and for a user without that factor.
     */
    boolean verify(String userId, Proof proof, RequestInfo request);
}
