package dev.rotor.signin;

import dev.rotor.account.User;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a password sign-in came to, whichever surface asked (the cookie API, the password grant, the hosted sign-in
 * page, the account page). Each surface answers each case in its own way, and the same for every user: an unknown
 * user, a wrong password and a disabled account are all {@link BadCredentials}.
 */
public sealed interface SignInOutcome {
    /**
     * The user proved who they are: the caller starts what it starts (a family, a single sign-on session).
     *
     * @param note how it went, for the session list (e.g. {@code new device in Lisbon, verified with TOTP}); null when
     *             there is nothing to say
     */
    record Authenticated(User user, List<String> amr, String acr, String note) implements SignInOutcome {
        public Authenticated {
            Objects.requireNonNull(user);
            amr = List.copyOf(amr);
        }
    }

    /**
     * The password was right, and a second factor is asked for before anything starts.
     *
     * @param mfaToken what the user presents with the code to finish; sealed, short-lived
     * @param methods  the second factors the user can use
     */
    record StepUpRequired(String mfaToken, List<String> methods) implements SignInOutcome {
        public StepUpRequired {
            methods = List.copyOf(methods);
        }

        @Override
        public String toString() {
            return "StepUpRequired[methods=" + methods + "]";
        }
    }

    /**
     * The sign-in is refused (the risk policy): {@code reason} is the risk engine's explanation, for the audit log and
     * the server's log, never for the answer.
     */
    record Denied(String reason) implements SignInOutcome {}

    /**
     * The {@code mfa_token} of a held sign-in is not one of ours, has expired (it lasts five minutes), or was made on
     * another surface or for another client: the user signs in again.
     */
    record StepUpExpired() implements SignInOutcome {}

    /** The second factor's code is wrong, was used already, or too many wrong ones were tried: the user may try again. */
    record WrongSecondFactor() implements SignInOutcome {}

    /** Unknown user, wrong password, disabled account, no password set: deliberately one case. */
    record BadCredentials() implements SignInOutcome {}

    /** A field missing or too long: nothing was checked or counted. @param problem what is wrong, for the caller to say */
    record Malformed(String problem) implements SignInOutcome {}

    /** Too many failures from this source or on this account: nothing was checked. */
    record Throttled(Duration retryAfter) implements SignInOutcome {}
}
