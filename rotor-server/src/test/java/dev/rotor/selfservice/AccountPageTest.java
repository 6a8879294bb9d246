package dev.rotor.selfservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.account.Accounts;
import dev.rotor.account.InMemoryUserStore;
import dev.rotor.account.PasswordHasher;
import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.InMemoryClientStore;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.PasswordSignIn;
import dev.rotor.signin.SignInFixture;
import dev.rotor.oauth.authorize.AuthorizeFlow.SignInProblem;
import dev.rotor.oauth.authorize.Consents;
import dev.rotor.oauth.authorize.InMemoryConsentStore;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.sso.InMemorySsoSessionStore;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessions;
import dev.rotor.testing.RecordingAuditLog;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The account page's rules: whose consents it shows, who may withdraw what, and its sign-in's one answer. */
class AccountPageTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");

    private final MutableClock clock = new MutableClock();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final List<AuditEvent> audited = audit.events;
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final Accounts accounts = new Accounts(users, new PasswordHasher(new PasswordHasher.Params(19456, 2, 1), 2, 10_000, new SecureRandom()), clock);
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final SsoSessions sso = new SsoSessions(new InMemorySsoSessionStore(), audit, clock, new SecureRandom(), Duration.ofHours(12));
    private final InMemoryConsentStore consentStore = new InMemoryConsentStore();
    private final Consents consents = new Consents(consentStore, sessions, audit, clock);
    private final InMemoryClientStore clientStore = new InMemoryClientStore();
    private final AccountPage page;
    private final User alice;
    private final User bob;

    AccountPageTest() {
        for (String id : List.of("partner", "shop")) clientStore.add(client(id, false));
        clientStore.add(client("web", true));
        page = new AccountPage(users, consents, new ClientRegistry(clientStore, clock, Set.of()), 
                new PasswordSignIn(SignInFixture.signIn(accounts, users, audit, clock), sessions), sso,
                clock);
        alice = accounts.register("alice", null, null, PASSWORD);
        bob = accounts.register("bob", null, null, PASSWORD);
        accounts.register("carol", null, null, PASSWORD);
        users.disable("carol");
    }

    private static Client client(String id, boolean firstParty) {
        return new Client(id, Client.Type.PUBLIC, null, List.of("https://app.example.test/cb"), new LinkedHashSet<>(Set.of("authorization_code")),
                Set.of(), firstParty, "openid profile email offline_access", Instant.parse("2026-01-01T00:00:00Z"), Set.of());
    }

    private Optional<SsoSession> signedIn(User user) {
        return Optional.of(sso.start(user.id(), PasswordSignIn.AMR_PASSWORD, PasswordSignIn.ACR_PASSWORD, LAPTOP).session());
    }

    private RefreshTokenFamily session(User user, String clientId) {
        return sessions.start(user.id(), clientId, "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP).family();
    }

    @Test
    void showWithoutALiveSessionIsTheSignInForm() {
        assertThat(page.show(Optional.empty(), null)).isEqualTo(new AccountPage.SignInForm(null, null));
        Optional<SsoSession> s = signedIn(alice);
        sso.end(s.get(), "logout", LAPTOP);
        assertThat(page.show(sso.find(s.get().id()), null)).as("an ended session").isInstanceOf(AccountPage.SignInForm.class);
    }

    @Test
    void showListsOnlyTheSignedInUsersAppsWithTheScopesAndWhenAllowed() {
        consents.allow(alice.id(), "shop", "openid email");
        clock.advance(Duration.ofMinutes(3));
        consents.allow(alice.id(), "partner", "openid profile");
        consents.allow(bob.id(), "partner", "openid");

        AccountPage.Overview o = (AccountPage.Overview) page.show(signedIn(alice), null);

        assertThat(o.user().username()).isEqualTo("alice");
        assertThat(o.apps()).containsExactly(new AccountPage.AppAccess("partner", List.of("openid", "profile"), clock.instant()),
                new AccountPage.AppAccess("shop", List.of("openid", "email"), clock.instant().minus(Duration.ofMinutes(3))));
        assertThat(o.removed()).isNull();
        assertThat(((AccountPage.Overview) page.show(signedIn(bob), null)).apps()).extracting(AccountPage.AppAccess::clientId).containsExactly("partner");
    }

    @Test
    void withdrawEndsTheAppsSessionsOfTheUserAndNoOneElses() {
        consents.allow(alice.id(), "partner", "openid");
        consents.allow(bob.id(), "partner", "openid");
        RefreshTokenFamily alicesPartner = session(alice, "partner");
        RefreshTokenFamily alicesWeb = session(alice, "web");
        RefreshTokenFamily bobsPartner = session(bob, "partner");

        assertThat(page.withdraw(signedIn(alice), "partner", LAPTOP)).isEqualTo(new AccountPage.Withdrawn("partner"));

        assertThat(consents.find(alice.id(), "partner")).isEmpty();
        assertThat(consents.find(bob.id(), "partner")).isPresent();
        assertThat(sessions.isActive(sessions.find(alicesPartner.id()).orElseThrow())).isFalse();
        assertThat(sessions.isActive(sessions.find(alicesWeb.id()).orElseThrow())).isTrue();
        assertThat(sessions.isActive(sessions.find(bobsPartner.id()).orElseThrow())).isTrue();
        assertThat(audited).filteredOn(e -> e.type().equals("consent.withdrawn")).singleElement()
                .satisfies(e -> assertThat(e.userId()).isEqualTo(alice.id()));
    }

    @Test
    void withdrawTakesTheUserFromTheSessionSoAnotherUsersConsentIsNothingToWithdraw() {
        consents.allow(bob.id(), "shop", "openid");
        RefreshTokenFamily bobsShop = session(bob, "shop");

        assertThat(page.withdraw(signedIn(alice), "shop", LAPTOP)).isEqualTo(new AccountPage.NothingToWithdraw("shop"));

        assertThat(consents.find(bob.id(), "shop")).isPresent();
        assertThat(sessions.isActive(sessions.find(bobsShop.id()).orElseThrow())).isTrue();
    }

    @Test
    void withdrawOfAnUnknownClientOrOneWithoutConsentChangesNothing() {
        RefreshTokenFamily web = session(alice, "web");

        assertThat(page.withdraw(signedIn(alice), "nobody", LAPTOP)).isEqualTo(new AccountPage.NothingToWithdraw("nobody"));
        assertThat(page.withdraw(signedIn(alice), "web", LAPTOP)).isEqualTo(new AccountPage.NothingToWithdraw("web"));

        assertThat(sessions.isActive(sessions.find(web.id()).orElseThrow())).isTrue();
        assertThat(audited).noneMatch(e -> e.type().equals("consent.withdrawn") || e.type().equals("session.revoked"));
    }

    @Test
    void withdrawWithoutASessionChangesNothing() {
        consents.allow(alice.id(), "partner", "openid");

        assertThat(page.withdraw(Optional.empty(), "partner", LAPTOP)).isEqualTo(new AccountPage.NotSignedIn());

        assertThat(consents.find(alice.id(), "partner")).isPresent();
    }

    @ParameterizedTest(name = "client_id ''{0}''")
    @CsvSource(value = {"''", "NULL"}, nullValues = "NULL")
    void withdrawWithoutAClientIdIsInvalidRequest(String clientId) {
        assertThatThrownBy(() -> page.withdraw(signedIn(alice), clientId, LAPTOP)).isInstanceOf(OAuthException.class)
                .hasMessageContaining("client_id");
    }

    @Test
    void withdrawWithAClientIdLongerThanAnyClientsIsInvalidRequestBeforeAnythingIsRead() {
        assertThatThrownBy(() -> page.withdraw(Optional.empty(), "a".repeat(AccountPage.MAX_CLIENT_ID + 1), LAPTOP)).isInstanceOf(OAuthException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void removalIsConfirmedOnlyWhenTheAppAsksForConsentAndNoLongerHasIt() {
        consents.allow(alice.id(), "partner", "openid");
        consents.allow(alice.id(), "shop", "openid");
        Optional<SsoSession> s = signedIn(alice);
        page.withdraw(s, "partner", LAPTOP);

        assertThat(((AccountPage.Overview) page.show(s, "partner")).removed()).isEqualTo("partner");
        assertThat(((AccountPage.Overview) page.show(s, "shop")).removed()).as("still allowed").isNull();
        assertThat(((AccountPage.Overview) page.show(s, "web")).removed()).as("first party: its access was never a consent").isNull();
        assertThat(((AccountPage.Overview) page.show(s, "nobody")).removed()).as("unknown").isNull();
        assertThat(((AccountPage.Overview) page.show(s, "")).removed()).isNull();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({"alice, not the password", "nobody, not the password", "carol, correct horse battery staple"})
    void signInWhenPasswordWrongUserUnknownOrDisabledThenOneProblemAndNoSession(String username, String password) {
        AccountPage.SignedIn r = page.signIn(username, password, Optional.empty(), LAPTOP);

        assertThat(r.started()).isNull();
        assertThat(r.view()).isEqualTo(new AccountPage.SignInForm(SignInProblem.BAD_CREDENTIALS, username));
        assertThat(audited).filteredOn(e -> e.type().equals("login.failed")).singleElement().satisfies(e -> assertThat(e.clientId()).isNull());
    }

    @Test
    void signInWithAnEmptyFieldAsksForBoth() {
        assertThat(page.signIn("alice", "", Optional.empty(), LAPTOP).view()).isEqualTo(new AccountPage.SignInForm(SignInProblem.MISSING_FIELDS, "alice"));
        assertThat(page.signIn("x".repeat(PasswordSignIn.MAX_USERNAME + 1), PASSWORD, Optional.empty(), LAPTOP).view())
                .as("a name too long to be anyone's is not shown again").isEqualTo(new AccountPage.SignInForm(SignInProblem.MISSING_FIELDS, null));
    }

    @Test
    void signInStartsASingleSignOnSessionAndEndsTheBrowsersPreviousOne() {
        Optional<SsoSession> previous = signedIn(bob);

        AccountPage.SignedIn r = page.signIn("alice", PASSWORD, previous, LAPTOP);

        assertThat(r.started()).isNotNull();
        assertThat(r.started().session().userId()).isEqualTo(alice.id());
        assertThat(r.started().session().amr()).isEqualTo(PasswordSignIn.AMR_PASSWORD);
        assertThat(sso.current(r.started().cookieSecret())).isPresent();
        assertThat(sso.find(previous.get().id()).orElseThrow().isActive(clock.instant())).isFalse();
        assertThat(r.view()).isInstanceOfSatisfying(AccountPage.Overview.class, o -> assertThat(o.user().id()).isEqualTo(alice.id()));
    }
}
