package dev.rotor.oauth.authorize;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.PasswordSignIn;
import dev.rotor.signin.SecondFactors;
import dev.rotor.signin.SignInOutcome;
import dev.rotor.oauth.Scopes;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /oauth2/authorize} as steps: check the request, then sign the user in (or find their single sign-on
 * session), ask for consent when the client needs it, and answer the client with a code. Each step says what the
 * browser is shown next; the HTTP layer only renders it.
 */
public final class AuthorizeFlow {
    /** A page handle past its {@link Interactions#LIFETIME}, forged or for another browser: no way back to the client is known. */
    static final String EXPIRED = "This page has expired. Start again from the app.";

    private final AuthorizationRequests requests;
    private final Interactions interactions;
    private final SsoSessions sso;
    private final PasswordSignIn passwords;
    private final Consents consents;
    private final AuthorizationCodes codes;
    private final UserStore users;
    private final Clock clock;

    public AuthorizeFlow(AuthorizationRequests requests, Interactions interactions, SsoSessions sso, PasswordSignIn passwords,
                         Consents consents, AuthorizationCodes codes, UserStore users, Clock clock) {
        this.requests = requests;
        this.interactions = interactions;
        this.sso = sso;
        this.passwords = passwords;
        this.consents = consents;
        this.codes = codes;
        this.users = users;
        this.clock = clock;
    }

    /** What the browser is shown next. */
    public sealed interface Step permits ShowSignIn, ShowSecondFactor, ShowConsent, Respond, ShowError {}

    /**
     * @param problem  why the previous attempt failed; null on the first showing
     * @param username what the field holds: the name typed in the previous attempt, else the request's
     *                 {@code login_hint}; null for neither
     */
    public record ShowSignIn(AuthorizationRequest request, String interaction, SignInProblem problem, String username) implements Step {}

    /**
     * The password was right and the user has a second factor: the page that asks for its code.
     *
     * @param mfaToken the held sign-in, posted back with the code
     * @param methods  the second factors the user can use
     * @param problem  why the previous code failed; null on the first showing
     */
    public record ShowSecondFactor(AuthorizationRequest request, String interaction, String mfaToken, List<String> methods, SignInProblem problem)
            implements Step {}

    /**
     * @param scopes   the scopes to approve, in request order
     * @param username who is signed in on {@code session}, so the page can say whose account the app asks for
     */
    public record ShowConsent(AuthorizationRequest request, SsoSession session, String interaction, List<String> scopes,
                              String username) implements Step {}

    /** Back to the client: a code or an error, in the request's response mode. */
    public record Respond(AuthorizationResponse response) implements Step {}

    /** An error for the user's eyes, never sent to the client (unknown client, bad redirect URI, an expired page). */
    public record ShowError(OAuthError error, Why why) implements Step {}

    public enum Why {
        /** The request names no client, or a redirect URI the client has not registered: its description is technical. */
        UNREDIRECTABLE,
        /** The page's handle is too old, forged or for another browser: its description is for people. */
        EXPIRED
    }

    public enum SignInProblem {
        /**
         * Unknown user, wrong password or a disabled account: one answer for all three, as {@code /auth/login} and the
         * password grant give (the audit log tells them apart), so the page tells nobody which usernames exist.
         */
        BAD_CREDENTIALS,
        MISSING_FIELDS,
        /** Too many failures from this browser's address or on this account: nothing was checked. */
        THROTTLED,
        /**
         * The risk policy refused the sign-in, or asked for a second factor, which this page does not ask for yet:
         * refused rather than let through.
         */
        REFUSED,
        /** The second factor's code is wrong, was used already, or too many were tried. */
        WRONG_CODE,
        /** The second-factor step took too long (its token lasts five minutes): sign in again. */
        EXPIRED_STEP;

        /** The problem a refused password sign-in shows on a page. */
        public static SignInProblem of(SignInOutcome outcome) {
            return switch (outcome) {
                case SignInOutcome.Malformed m -> MISSING_FIELDS;
                case SignInOutcome.BadCredentials b -> BAD_CREDENTIALS;
                case SignInOutcome.Throttled t -> THROTTLED;
                case SignInOutcome.Denied d -> REFUSED;
                case SignInOutcome.StepUpRequired s -> REFUSED;
                case SignInOutcome.StepUpExpired x -> EXPIRED_STEP;
                case SignInOutcome.WrongSecondFactor w -> WRONG_CODE;
                case SignInOutcome.Authenticated a -> throw new IllegalArgumentException("not a problem");
            };
        }
    }

    /** A step, and the single sign-on session a password sign-in just started (its cookie must be set); null otherwise. */
    public record SignedIn(Step step, SsoSessions.Started started) {}

    /** A sign-in page's request, checked again from its sealed parameters; or what to show instead. */
    private record Reopened(AuthorizationRequest request, Step refusal) {}

    /** An expired or forged handle, a client removed or changed meanwhile: the step that says so instead of the request. */
    private Reopened reopen(String interaction) {
        Optional<Interactions.Opened> opened = interactions.open(interaction, Interactions.Step.SIGN_IN);
        if (opened.isEmpty()) return new Reopened(null, expired());
        return switch (requests.parse(multi(opened.get().params()))) {
            case AuthorizationRequests.Valid v -> new Reopened(v.request(), null);
            case AuthorizationRequests.Redirectable r -> new Reopened(null, new Respond(r.response()));
            case AuthorizationRequests.Unredirectable u -> new Reopened(null, new ShowError(u.error(), Why.UNREDIRECTABLE));
        };
    }

    /** {@code GET /oauth2/authorize}. @param session the browser's live single sign-on session, if any */
    public Step authorize(Map<String, List<String>> query, Optional<SsoSession> session) {
        return switch (requests.parse(query)) {
            case AuthorizationRequests.Valid v -> proceed(v.request(), session, false, false);
            case AuthorizationRequests.Redirectable r -> new Respond(r.response());
            case AuthorizationRequests.Unredirectable u -> new ShowError(u.error(), Why.UNREDIRECTABLE);
        };
    }

    /**
     * The sign-in form posted. The request is checked again from the page's sealed parameters, so a client removed or
     * changed meanwhile is noticed. @param previous the browser's single sign-on session before, ended when replaced
     */
    public SignedIn signIn(String interaction, String username, String password, Optional<SsoSession> previous, RequestInfo request) {
        Reopened page = reopen(interaction);
        if (page.refusal() != null) return new SignedIn(page.refusal(), null);
        AuthorizationRequest req = page.request();
        SignInOutcome outcome = passwords.check(req.client().id(), username, password, request);
        if (outcome instanceof SignInOutcome.StepUpRequired s) {
            return new SignedIn(new ShowSecondFactor(req, interaction, s.mfaToken(), s.methods(), null), null);
        }
        if (!(outcome instanceof SignInOutcome.Authenticated a)) {
            return new SignedIn(signInAgain(req, SignInProblem.of(outcome), typed(username, req)), null);
        }
        return signedIn(req, a, previous, request);
    }

    /**
     * The second-factor form posted: the code finishes the sign-in the password started. A wrong code shows the form
     * again; an expired page or token starts the sign-in again.
     */
    public SignedIn secondFactor(String interaction, String mfaToken, SecondFactors.Proof proof, Optional<SsoSession> previous, RequestInfo request) {
        Reopened page = reopen(interaction);
        if (page.refusal() != null) return new SignedIn(page.refusal(), null);
        AuthorizationRequest req = page.request();
        if (proof == null) {
            return new SignedIn(new ShowSecondFactor(req, interaction, mfaToken, methodsOf(mfaToken), SignInProblem.WRONG_CODE), null);
        }
        return switch (passwords.secondFactor(req.client().id(), mfaToken, proof, request)) {
            case SignInOutcome.Authenticated a -> signedIn(req, a, previous, request);
            case SignInOutcome.WrongSecondFactor w ->
                    new SignedIn(new ShowSecondFactor(req, interaction, mfaToken, methodsOf(mfaToken), SignInProblem.WRONG_CODE), null);
            case SignInOutcome.Denied d -> new SignedIn(signInAgain(req, SignInProblem.REFUSED, req.loginHint()), null);
            default -> new SignedIn(signInAgain(req, SignInProblem.EXPIRED_STEP, req.loginHint()), null);
        };
    }

    private List<String> methodsOf(String mfaToken) {
        return passwords.heldMethods(mfaToken);
    }

    private SignedIn signedIn(AuthorizationRequest req, SignInOutcome.Authenticated a, Optional<SsoSession> previous, RequestInfo request) {
        previous.ifPresent(p -> sso.end(p, "replaced", request));
        SsoSessions.Started started = sso.start(a.user().id(), a.amr(), a.acr(), request);
        return new SignedIn(proceed(req, Optional.of(started.session()), true, false), started);
    }

    /** The consent form posted: allowed or denied by the user signed in on {@code session}. */
    public Step consent(String interaction, Optional<SsoSession> session, boolean allow) {
        Optional<Interactions.Opened> opened = interactions.open(interaction, Interactions.Step.CONSENT);
        // The page was shown to one signed-in session; a different (or no) session may not answer it.
        if (opened.isEmpty() || session.isEmpty() || !session.get().id().equals(opened.get().ssoSessionId())) return expired();
        AuthorizationRequest req;
        switch (requests.parse(multi(opened.get().params()))) {
            case AuthorizationRequests.Valid v -> req = v.request();
            case AuthorizationRequests.Redirectable r -> { return new Respond(r.response()); }
            case AuthorizationRequests.Unredirectable u -> { return new ShowError(u.error(), Why.UNREDIRECTABLE); }
        }
        if (!allow) return new Respond(requests.errorResponse(req, OAuthError.of(ErrorCode.ACCESS_DENIED, "the user denied the request")));
        consents.allow(session.get().userId(), req.client().id(), req.scope());
        return proceed(req, session, true, true);
    }

    /**
     * @param signedInNow the user just typed their password: prompt=login and max_age are satisfied
     * @param consentedNow the user just allowed this request: prompt=consent is satisfied
     */
    private Step proceed(AuthorizationRequest req, Optional<SsoSession> session, boolean signedInNow, boolean consentedNow) {
        if (session.isEmpty() || (!signedInNow && mustSignInAgain(req, session.get()))) {
            if (req.prompt().contains(Prompt.NONE)) return refuse(req, ErrorCode.LOGIN_REQUIRED, "the user must sign in");
            return signInAgain(req, null, req.loginHint());
        }
        SsoSession s = session.get();
        boolean asked = req.prompt().contains(Prompt.CONSENT) && !consentedNow;
        if (needsConsent(req) && (asked || !consents.covers(s.userId(), req.client().id(), req.scope()))) {
            if (req.prompt().contains(Prompt.NONE)) return refuse(req, ErrorCode.CONSENT_REQUIRED, "the user must allow this app");
            return new ShowConsent(req, s, interactions.seal(req.params(), Interactions.Step.CONSENT, s.id()),
                    List.copyOf(Scopes.parse(req.scope())), users.findById(s.userId()).map(User::username).orElse(null));
        }
        return new Respond(requests.codeResponse(req, codes.issue(req, s)));
    }

    private boolean mustSignInAgain(AuthorizationRequest req, SsoSession s) {
        if (req.prompt().contains(Prompt.LOGIN) || req.prompt().contains(Prompt.SELECT_ACCOUNT)) return true;
        // OIDC Core §3.1.2.1: max_age is the allowable time since the user last actively authenticated.
        return req.maxAge() != null && clock.instant().isAfter(s.authTime().plus(req.maxAge()));
    }

    /** Consent is the user's when a third party asks; a first-party client asks only when registered to. */
    private static boolean needsConsent(AuthorizationRequest req) {
        return req.client().consentRequired();
    }

    private ShowSignIn signInAgain(AuthorizationRequest req, SignInProblem problem, String username) {
        return new ShowSignIn(req, interactions.seal(req.params(), Interactions.Step.SIGN_IN, null), problem, username);
    }

    /** The name typed, shown again unless it was empty or too long to be anyone's. */
    private static String typed(String username, AuthorizationRequest req) {
        return username == null || username.isEmpty() || username.length() > PasswordSignIn.MAX_USERNAME ? req.loginHint() : username;
    }

    private Respond refuse(AuthorizationRequest req, ErrorCode code, String description) {
        return new Respond(requests.errorResponse(req, OAuthError.of(code, description)));
    }

    private static ShowError expired() {
        return new ShowError(OAuthError.of(ErrorCode.INVALID_REQUEST, EXPIRED), Why.EXPIRED);
    }

    private static Map<String, List<String>> multi(Map<String, String> params) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        params.forEach((k, v) -> m.put(k, List.of(v)));
        return m;
    }
}
