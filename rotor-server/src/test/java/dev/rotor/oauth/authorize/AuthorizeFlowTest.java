package dev.rotor.oauth.authorize;

import static dev.rotor.oauth.authorize.AuthorizeFixtures.CHALLENGE;
import static dev.rotor.oauth.authorize.AuthorizeFixtures.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.account.Accounts;
import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.PasswordHasher;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Sealer;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.InMemoryClientStore;
import dev.rotor.oauth.PasswordSignIn;
import dev.rotor.signin.SignInFixture;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.Sessions;
import dev.rotor.sso.InMemorySsoSessionStore;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessions;
import dev.rotor.testing.RecordingAuditLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The authorize steps: sign-in, prompt and max_age, consent covering the scope, and who may answer a page. */
class AuthorizeFlowTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final String PARTNER_CB = "https://partner.example.test/cb";

    private final MutableClock clock = new MutableClock();
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final Accounts accounts = new Accounts(users,
            new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), 2, 10_000, new SecureRandom()), clock);
    private final SsoSessions sso = new SsoSessions(new InMemorySsoSessionStore(), new RecordingAuditLog(), clock,
            new SecureRandom(), Duration.ofHours(12));
    private final InMemoryConsentStore consentStore = new InMemoryConsentStore();
    private final InMemoryAuthorizationCodeStore codeStore = new InMemoryAuthorizationCodeStore();
    private final AuthorizationCodes codes = new AuthorizationCodes(codeStore, clock, new SecureRandom());
    private final AuthorizeFlow flow;

    AuthorizeFlowTest() {
        InMemoryClientStore clients = new InMemoryClientStore();
        clients.add(AuthorizeFixtures.WEB);
        clients.add(AuthorizeFixtures.PARTNER);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        flow = new AuthorizeFlow(new AuthorizationRequests(new ClientRegistry(clients, clock, Set.of()), "https://rotor.example.test"),
                new Interactions(new Sealer(key, new SecureRandom()), clock), sso,
                new PasswordSignIn(SignInFixture.signIn(accounts, users, new RecordingAuditLog(), clock), sessions),
                new Consents(consentStore, sessions, new RecordingAuditLog(), clock), codes,
                users, clock);
    }

    private static Map<String, List<String>> query(String client, String redirect, String scope, String... more) {
        Map<String, List<String>> q = new HashMap<>(Map.of("client_id", List.of(client), "redirect_uri", List.of(redirect),
                "response_type", List.of("code"), "scope", List.of(scope), "state", List.of("xyz"), "code_challenge", List.of(CHALLENGE),
                "code_challenge_method", List.of("S256")));
        for (int i = 0; i < more.length; i += 2) q.put(more[i], List.of(more[i + 1]));
        return q;
    }

    private static Map<String, List<String>> web(String... more) {
        return query("web", REDIRECT, "openid profile", more);
    }

    private static Map<String, List<String>> partner(String scope, String... more) {
        return query("partner", PARTNER_CB, scope, more);
    }

    private SsoSession signedIn() {
        return sso.start("alice", PasswordSignIn.AMR_PASSWORD, PasswordSignIn.ACR_PASSWORD, LAPTOP).session();
    }

    private static void assertCode(AuthorizeFlow.Step step) {
        assertThat(step).isInstanceOfSatisfying(AuthorizeFlow.Respond.class, r -> assertThat(r.response().params()).containsKey("code")
                .doesNotContainKey("error"));
    }

    private static void assertError(AuthorizeFlow.Step step, String error) {
        assertThat(step).isInstanceOfSatisfying(AuthorizeFlow.Respond.class, r -> assertThat(r.response().params())
                .containsEntry("error", error).containsEntry("state", "xyz").doesNotContainKey("code"));
    }

    @Test
    void authorizeWithoutSessionThenSignInPage() {
        assertThat(flow.authorize(web(), Optional.empty())).isInstanceOfSatisfying(AuthorizeFlow.ShowSignIn.class,
                s -> assertThat(s.problem()).isNull());
        assertThat(codeStore.size()).isZero();
    }

    @Test
    void authorizeWithSessionOfAFirstPartyClientThenACodeForThatSession() {
        SsoSession s = signedIn();
        AuthorizeFlow.Step step = flow.authorize(web(), Optional.of(s));

        assertCode(step);
        String code = ((AuthorizeFlow.Respond) step).response().params().get("code");
        assertThat(codes.redeem(code)).isInstanceOfSatisfying(AuthorizationCodes.Redeemed.class, r -> {
            assertThat(r.code().ssoSessionId()).isEqualTo(s.id());
            assertThat(r.code().userId()).isEqualTo("alice");
        });
    }

    @Test
    void promptNoneWithoutSessionThenLoginRequiredAndWithSessionThenACode() {
        assertError(flow.authorize(web("prompt", "none"), Optional.empty()), "login_required");
        assertCode(flow.authorize(web("prompt", "none"), Optional.of(signedIn())));
    }

    @Test
    void promptLoginOrSelectAccountWithSessionThenSignInPageAgain() {
        SsoSession s = signedIn();
        assertThat(flow.authorize(web("prompt", "login"), Optional.of(s))).isInstanceOf(AuthorizeFlow.ShowSignIn.class);
        assertThat(flow.authorize(web("prompt", "select_account"), Optional.of(s))).isInstanceOf(AuthorizeFlow.ShowSignIn.class);
    }

    @Test
    void maxAgeAtExactlyTheSessionsAgeThenACodeAndOneMillisecondLaterSignInAgain() {
        SsoSession s = signedIn();
        clock.advance(Duration.ofSeconds(60));
        assertCode(flow.authorize(web("max_age", "60"), Optional.of(s)));

        clock.advance(Duration.ofMillis(1));
        assertThat(flow.authorize(web("max_age", "60"), Optional.of(s))).isInstanceOf(AuthorizeFlow.ShowSignIn.class);
        assertError(flow.authorize(web("max_age", "60", "prompt", "none"), Optional.of(s)), "login_required");
    }

    @Test
    void maxAgeZeroAsksForThePasswordOnceAnyTimeHasPassed() {
        SsoSession s = signedIn();
        clock.advance(Duration.ofMillis(1));
        assertThat(flow.authorize(web("max_age", "0"), Optional.of(s))).isInstanceOf(AuthorizeFlow.ShowSignIn.class);
    }

    @Test
    void signInWithTheRightPasswordStartsASessionEndsThePreviousAndAnswersWithACodeEvenUnderPromptLogin() {
        accounts.register("alice", null, null, PASSWORD);
        SsoSession previous = signedIn();
        AuthorizeFlow.ShowSignIn page = (AuthorizeFlow.ShowSignIn) flow.authorize(web("prompt", "login", "max_age", "0"), Optional.of(previous));
        clock.advance(Duration.ofSeconds(5));

        AuthorizeFlow.SignedIn done = flow.signIn(page.interaction(), "alice", PASSWORD, Optional.of(previous), LAPTOP);

        assertCode(done.step());
        assertThat(done.started()).isNotNull();
        assertThat(done.started().session().authTime()).isEqualTo(clock.instant());
        assertThat(sso.find(previous.id())).hasValueSatisfying(p -> assertThat(p.endReason()).isEqualTo("replaced"));
    }

    @Test
    void signInWhenWrongPasswordDisabledOrMissingThenThePageAgainWithTheProblemAndNoSession() {
        accounts.register("alice", null, null, PASSWORD);
        accounts.register("bob", null, null, PASSWORD);
        users.disable("bob");
        String handle = ((AuthorizeFlow.ShowSignIn) flow.authorize(web(), Optional.empty())).interaction();

        assertThat(flow.signIn(handle, "alice", "wrong password!", Optional.empty(), LAPTOP)).satisfies(d -> {
            assertThat(d.started()).isNull();
            assertThat(d.step()).isInstanceOfSatisfying(AuthorizeFlow.ShowSignIn.class,
                    s -> assertThat(s.problem()).isEqualTo(AuthorizeFlow.SignInProblem.BAD_CREDENTIALS));
        });
        assertThat(flow.signIn(handle, "bob", PASSWORD, Optional.empty(), LAPTOP).step()).isInstanceOfSatisfying(AuthorizeFlow.ShowSignIn.class,
                s -> assertThat(s.problem()).as("a disabled account is answered as a wrong password")
                        .isEqualTo(AuthorizeFlow.SignInProblem.BAD_CREDENTIALS));
        assertThat(flow.signIn(handle, "alice", "", Optional.empty(), LAPTOP).step()).isInstanceOfSatisfying(AuthorizeFlow.ShowSignIn.class,
                s -> assertThat(s.problem()).isEqualTo(AuthorizeFlow.SignInProblem.MISSING_FIELDS));
        assertThat(codeStore.size()).isZero();
    }

    @Test
    void signInWhenThePageExpiredOrWasAConsentPageThenExpiredAndNoPasswordChecked() {
        accounts.register("alice", null, null, PASSWORD);
        String handle = ((AuthorizeFlow.ShowSignIn) flow.authorize(web(), Optional.empty())).interaction();
        SsoSession s = signedIn();
        String consentPage = ((AuthorizeFlow.ShowConsent) flow.authorize(partner("openid"), Optional.of(s))).interaction();

        assertThat(flow.signIn(consentPage, "alice", PASSWORD, Optional.empty(), LAPTOP).step())
                .isEqualTo(new AuthorizeFlow.ShowError(dev.rotor.oauth.OAuthError.of(dev.rotor.oauth.ErrorCode.INVALID_REQUEST, AuthorizeFlow.EXPIRED),
                        AuthorizeFlow.Why.EXPIRED));
        clock.advance(Interactions.LIFETIME.plusMillis(1));
        AuthorizeFlow.SignedIn late = flow.signIn(handle, "alice", PASSWORD, Optional.empty(), LAPTOP);
        assertThat(late.step()).isInstanceOf(AuthorizeFlow.ShowError.class);
        assertThat(late.started()).isNull();
    }

    @Test
    void consentIsAskedOnceForAThirdPartyAndRememberedForTheScopesAllowed() {
        SsoSession s = signedIn();
        AuthorizeFlow.Step first = flow.authorize(partner("openid profile"), Optional.of(s));
        assertThat(first).isInstanceOfSatisfying(AuthorizeFlow.ShowConsent.class, c -> assertThat(c.scopes()).containsExactly("openid", "profile"));

        assertCode(flow.consent(((AuthorizeFlow.ShowConsent) first).interaction(), Optional.of(s), true));

        assertCode(flow.authorize(partner("openid profile"), Optional.of(s)));
        assertCode(flow.authorize(partner("profile", "prompt", "none"), Optional.of(s)));
        assertThat(flow.authorize(partner("openid email"), Optional.of(s))).as("a scope not allowed yet").isInstanceOf(AuthorizeFlow.ShowConsent.class);
        assertError(flow.authorize(partner("openid email", "prompt", "none"), Optional.of(s)), "consent_required");
        assertThat(flow.authorize(partner("openid", "prompt", "consent"), Optional.of(s))).isInstanceOf(AuthorizeFlow.ShowConsent.class);
    }

    @Test
    void consentWithPromptConsentIsSatisfiedByTheAnswerItself() {
        SsoSession s = signedIn();
        AuthorizeFlow.ShowConsent page = (AuthorizeFlow.ShowConsent) flow.authorize(partner("openid", "prompt", "consent"), Optional.of(s));
        assertCode(flow.consent(page.interaction(), Optional.of(s), true));
    }

    @Test
    void consentDeniedThenAccessDeniedAndNothingRemembered() {
        SsoSession s = signedIn();
        AuthorizeFlow.ShowConsent page = (AuthorizeFlow.ShowConsent) flow.authorize(partner("openid"), Optional.of(s));

        assertError(flow.consent(page.interaction(), Optional.of(s), false), "access_denied");
        assertThat(consentStore.list("alice")).isEmpty();
    }

    @Test
    void consentFromAnotherSessionOrNoneOrWithASignInPageThenExpiredAndNothingRemembered() {
        SsoSession s = signedIn();
        SsoSession other = signedIn();
        AuthorizeFlow.ShowConsent page = (AuthorizeFlow.ShowConsent) flow.authorize(partner("openid"), Optional.of(s));
        String signInPage = ((AuthorizeFlow.ShowSignIn) flow.authorize(partner("openid"), Optional.empty())).interaction();

        assertThat(flow.consent(page.interaction(), Optional.of(other), true)).isInstanceOf(AuthorizeFlow.ShowError.class);
        assertThat(flow.consent(page.interaction(), Optional.empty(), true)).isInstanceOf(AuthorizeFlow.ShowError.class);
        assertThat(flow.consent(signInPage, Optional.of(s), true)).isInstanceOf(AuthorizeFlow.ShowError.class);
        assertThat(consentStore.list("alice")).isEmpty();
        assertThat(codeStore.size()).isZero();
    }

    @Test
    void authorizeWhenTheRequestIsBadThenErrorsByTrust() {
        assertThat(flow.authorize(query("web", "https://evil.test/cb", "openid"), Optional.of(signedIn()))).isInstanceOf(AuthorizeFlow.ShowError.class);
        assertError(flow.authorize(web("response_type", "token"), Optional.of(signedIn())), "unsupported_response_type");
    }
}
