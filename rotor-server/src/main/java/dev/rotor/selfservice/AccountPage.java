package dev.rotor.selfservice;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.PasswordSignIn;
import dev.rotor.signin.SecondFactors;
import dev.rotor.signin.SignInOutcome;
import dev.rotor.oauth.Scopes;
import dev.rotor.oauth.authorize.AuthorizeFlow.SignInProblem;
import dev.rotor.oauth.authorize.Consents;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The user's own account page: who is signed in in this browser, the apps they allowed and what, and taking that back.
 * A user acts on their own consents only: every step takes the user from the browser's single sign-on session, never
 * from the form, so a client id posted for another user's consent finds nothing of this user's to withdraw. The
 * sign-in on the page is the hosted sign-in page's: the same password check, the same single sign-on session, the same
 * one answer for an unknown user, a wrong password and a disabled account. The HTTP layer parses and renders.
 */
public final class AccountPage {
    /** Longest client id a client can have (the registration rule), so a longer one is refused unread. */
    public static final int MAX_CLIENT_ID = 128;
    /** No client asked for this sign-in: its failures are audited without one. */
    private static final String NO_CLIENT = null;

    private final UserStore users;
    private final Consents consents;
    private final ClientRegistry clients;
    private final PasswordSignIn passwords;
    private final SsoSessions sso;
    private final Clock clock;

    public AccountPage(UserStore users, Consents consents, ClientRegistry clients, PasswordSignIn passwords, SsoSessions sso, Clock clock) {
        this.users = users;
        this.consents = consents;
        this.clients = clients;
        this.passwords = passwords;
        this.sso = sso;
        this.clock = clock;
    }

    /** What the page shows. */
    public sealed interface View permits SignInForm, SecondFactorForm, Overview {}

    /**
     * The password was right and the user has a second factor: the form that asks for its code.
     *
     * @param problem why the previous code failed; null on the first showing
     */
    public record SecondFactorForm(String mfaToken, List<String> methods, SignInProblem problem) implements View {}

    /**
     * No one is signed in: the sign-in form.
     *
     * @param problem  why the previous attempt failed; null on the first showing
     * @param username the name typed in the previous attempt; null for none
     */
    public record SignInForm(SignInProblem problem, String username) implements View {}

    /**
     * The signed-in user and the apps they allowed, by client id.
     *
     * @param removed the client whose access the user just removed, confirmed; null for none
     */
    public record Overview(User user, List<AppAccess> apps, String removed) implements View {
        public Overview {
            apps = List.copyOf(apps);
        }
    }

    /** One app the user allowed: its client id, the scopes allowed (in the order they were first allowed) and when last. */
    public record AppAccess(String clientId, List<String> scopes, Instant allowedAt) {
        public AppAccess {
            scopes = List.copyOf(scopes);
        }
    }

    /** A sign-in on the page: what it shows next, and the single sign-on session started (its cookie must be set); null when none. */
    public record SignedIn(View view, SsoSessions.Started started) {}

    /** What a withdrawal did. */
    public sealed interface Withdrawal permits Withdrawn, NotSignedIn, NothingToWithdraw {}

    /** The consent is gone and the app's sessions of this user ended. */
    public record Withdrawn(String clientId) implements Withdrawal {}

    /** No live single sign-on session in this browser: nothing was changed. */
    public record NotSignedIn() implements Withdrawal {}

    /** This user has no consent for that client (never had, withdrew it already, or the id is another user's or unknown): nothing was changed. */
    public record NothingToWithdraw(String clientId) implements Withdrawal {}

    /**
     * The page for the browser's single sign-on session: its user's apps, or the sign-in form when there is no live
     * session or its user is gone or disabled.
     *
     * @param removed a client id the user was told they removed; confirmed only when this user holds no consent for
     *                a client of that id that asks for one, so a link cannot make the page claim what is not so
     */
    public View show(Optional<SsoSession> session, String removed) {
        Optional<User> user = user(session);
        if (user.isEmpty()) return new SignInForm(null, null);
        List<AppAccess> apps = consents.list(user.get().id()).stream()
                .map(c -> new AppAccess(c.clientId(), List.copyOf(Scopes.parse(c.scope())), c.grantedAt())).toList();
        return new Overview(user.get(), apps, confirmedRemoval(apps, removed));
    }

    /**
     * The page's sign-in form posted: a new single sign-on session on the right password (the browser's previous one,
     * if any, ended as replaced), the form again with one message otherwise.
     */
    public SignedIn signIn(String username, String password, Optional<SsoSession> previous, RequestInfo request) {
        SignInOutcome outcome = passwords.check(NO_CLIENT, username, password, request);
        if (outcome instanceof SignInOutcome.StepUpRequired s) return new SignedIn(new SecondFactorForm(s.mfaToken(), s.methods(), null), null);
        if (!(outcome instanceof SignInOutcome.Authenticated a)) {
            // Unknown user, wrong password, disabled account: one answer (the audit log tells them apart).
            return new SignedIn(new SignInForm(SignInProblem.of(outcome), typed(username)), null);
        }
        return started(a, previous, request);
    }

    private SignedIn started(SignInOutcome.Authenticated a, Optional<SsoSession> previous, RequestInfo request) {
        previous.ifPresent(p -> sso.end(p, "replaced", request));
        SsoSessions.Started started = sso.start(a.user().id(), a.amr(), a.acr(), request);
        return new SignedIn(show(Optional.of(started.session()), null), started);
    }

    /**
     * The page's second-factor form posted: the code finishes the sign-in its password started. A wrong code shows the
     * form again; an expired token, the sign-in form.
     *
     * @param proof null when the form carried no code
     */
    public SignedIn secondFactor(String mfaToken, SecondFactors.Proof proof, Optional<SsoSession> previous, RequestInfo request) {
        if (proof == null) return new SignedIn(new SecondFactorForm(mfaToken, passwords.heldMethods(mfaToken), SignInProblem.WRONG_CODE), null);
        return switch (passwords.secondFactor(NO_CLIENT, mfaToken, proof, request)) {
            case SignInOutcome.Authenticated a -> started(a, previous, request);
            case SignInOutcome.WrongSecondFactor w ->
                    new SignedIn(new SecondFactorForm(mfaToken, passwords.heldMethods(mfaToken), SignInProblem.WRONG_CODE), null);
            case SignInOutcome.Denied d -> new SignedIn(new SignInForm(SignInProblem.REFUSED, null), null);
            default -> new SignedIn(new SignInForm(SignInProblem.EXPIRED_STEP, null), null);
        };
    }

    /**
     * Withdraws the signed-in user's consent for {@code clientId}, ending that app's sessions of the user
     * ({@link Consents#withdraw}, which audits it).
     *
     * @throws OAuthException invalid_request, before anything changes, for a missing or oversized client id
     */
    public Withdrawal withdraw(Optional<SsoSession> session, String clientId, RequestInfo request) {
        if (clientId == null || clientId.isEmpty()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: client_id");
        if (clientId.length() > MAX_CLIENT_ID) throw new OAuthException(ErrorCode.INVALID_REQUEST, "client_id too long");
        Optional<User> user = user(session);
        if (user.isEmpty()) return new NotSignedIn();
        return consents.withdraw(user.get().id(), clientId, request) ? new Withdrawn(clientId) : new NothingToWithdraw(clientId);
    }

    private Optional<User> user(Optional<SsoSession> session) {
        return session.filter(s -> s.isActive(clock.instant())).flatMap(s -> users.findById(s.userId())).filter(u -> !u.disabled());
    }

    private String confirmedRemoval(List<AppAccess> apps, String removed) {
        if (removed == null || removed.isEmpty() || removed.length() > MAX_CLIENT_ID) return null;
        if (apps.stream().anyMatch(a -> a.clientId().equals(removed))) return null;
        return clients.find(removed).filter(c -> c.consentRequired()).isPresent() ? removed : null;
    }

    /** The name typed, shown again unless it was empty or too long to be anyone's. */
    private static String typed(String username) {
        return username == null || username.isEmpty() || username.length() > PasswordSignIn.MAX_USERNAME ? null : username;
    }
}
