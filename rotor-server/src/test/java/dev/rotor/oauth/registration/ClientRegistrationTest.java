package dev.rotor.oauth.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.crypto.Base64Url;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.InMemoryClientStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientRegistrationTest {
    private final InMemoryClientStore store = new InMemoryClientStore();
    private final List<AuditEvent> events = new ArrayList<>();
    private final MovableClock clock = new MovableClock();

    /** A clock that stands still until a test moves it. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
    private final ClientRegistration registration = new ClientRegistration(store, new AuditLog() {
        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }

        @Override
        public List<AuditEvent> after(long afterId, int limit) {
            return List.of();
        }

        @Override
        public List<AuditEvent> tail(int limit) {
            return List.of();
        }
    }, clock, new SecureRandom());

    /** A request that passes every rule; each case below changes one thing. */
    private static ClientRegistration.Request.Builder spa() {
        return new ClientRegistration.Request.Builder("web", Client.Type.PUBLIC).redirectUris("https://app.example.test/cb");
    }

    static List<Arguments> refusals() {
        return List.of(
                refused("id with a space", b -> b.id("a b"), "client id"),
                refused("empty id", b -> b.id(""), "client id"),
                refused("id of 129 characters", b -> b.id("a".repeat(129)), "client id"),
                refused("no type", b -> b.type(null), "public or confidential"),
                refused("unknown grant", b -> b.grants("implicit"), "unknown grant implicit"),
                refused("password grant, not first-party", b -> b.grants("password"), "--first-party"),
                refused("client_credentials, public", b -> b.grants("client_credentials"), "confidential"),
                refused("authorization_code without redirect URI", b -> b.redirectUris().grants("authorization_code"), "at least one --redirect-uri"),
                refused("redirect URI without the code grant", b -> b.grants("refresh_token"), "only used by the authorization_code grant"),
                refused("post-logout URI without the code grant", b -> b.redirectUris().grants("refresh_token")
                        .postLogoutRedirectUris("https://app.example.test/bye"), "post-logout redirect URIs need"),
                refused("relative redirect URI", b -> b.redirectUris("/cb"), "is not absolute"),
                refused("redirect URI with a fragment", b -> b.redirectUris("https://app.example.test/cb#x"), "fragment"),
                refused("redirect URI with user info", b -> b.redirectUris("https://user@app.example.test/cb"), "user info"),
                refused("http redirect URI off loopback", b -> b.redirectUris("http://app.example.test/cb"), "not loopback"),
                refused("http redirect URI on a LAN address", b -> b.redirectUris("http://192.168.1.2/cb"), "not loopback"),
                refused("javascript: redirect URI", b -> b.redirectUris("javascript:alert(1)"), "the scheme 'javascript'"),
                refused("custom scheme not in reverse-DNS form", b -> b.redirectUris("myapp:/cb"), "reverse-DNS"),
                refused("private-use scheme with an authority", b -> b.redirectUris("com.example.app://cb"), "with one slash"),
                refused("unparseable redirect URI", b -> b.redirectUris("https://exa mple.test/cb"), "is not a URI"),
                refused("redirect URI too long", b -> b.redirectUris("https://app.example.test/" + "a".repeat(2048)), "is not a URI"),
                refused("redirect URI given twice", b -> b.redirectUris("https://app.example.test/cb", "https://app.example.test/cb"), "twice"),
                refused("too many redirect URIs", b -> b.redirectUris(many(33)), "at most 32"),
                refused("post-logout URI with a fragment", b -> b.postLogoutRedirectUris("https://app.example.test/bye#x"),
                        "post-logout redirect URI 'https://app.example.test/bye#x' has a fragment"),
                refused("post-logout URI over http off loopback", b -> b.postLogoutRedirectUris("http://app.example.test/bye"), "not loopback"),
                refused("back-channel URI over http off loopback", b -> b.backchannel("http://app.example.test/bcl"), "must use https"),
                refused("back-channel URI with a fragment", b -> b.backchannel("https://app.example.test/bcl#x"), "fragment"),
                refused("back-channel URI relative", b -> b.backchannel("/bcl"), "absolute URL"),
                refused("back-channel URI private-use", b -> b.backchannel("com.example.app:/bcl"), "absolute URL"),
                refused("origin with a path", b -> b.origins("https://app.example.test/app"), "not an origin"),
                refused("origin with a trailing slash", b -> b.origins("https://app.example.test/"), "not an origin"),
                refused("origin without scheme", b -> b.origins("app.example.test"), "not an origin"),
                refused("origin of another scheme", b -> b.origins("ftp://app.example.test"), "https or http"),
                refused("origin on a confidential client", b -> b.type(Client.Type.CONFIDENTIAL).grants("client_credentials").redirectUris()
                        .origins("https://app.example.test"), "public (browser) clients"),
                refused("consent skipped by a third party", b -> b.consent(false), "only a first-party client may skip consent"),
                refused("empty scope", b -> b.scope("  "), "at least one scope"),
                refused("scope word with a quote", b -> b.scope("openid \"x\""), "RFC 6749 §3.3"),
                refused("scope word with a backslash", b -> b.scope("openid a\\b"), "RFC 6749 §3.3"),
                refused("scope with a control character", b -> b.scope("openid\tx"), "RFC 6749 §3.3"),
                refused("scope too long", b -> b.scope("a".repeat(1025)), "1024"),
                refused("unknown claim", b -> b.claims("phone_number"), "unknown claim phone_number"),
                refused("claim without its scope", b -> b.scope("openid profile").claims("email"), "needs scope email"),
                refused("claims without a user grant", b -> b.type(Client.Type.CONFIDENTIAL).redirectUris().grants("client_credentials")
                        .claims("name"), "signs users in"),
                refused("short secret", b -> b.type(Client.Type.CONFIDENTIAL).secret("x".repeat(31)), "at least 32 characters"),
                refused("secret with a space", b -> b.type(Client.Type.CONFIDENTIAL).secret("x".repeat(20) + " " + "x".repeat(20)), "at least 32"),
                refused("secret too long", b -> b.type(Client.Type.CONFIDENTIAL).secret("x".repeat(513)), "at least 32"),
                refused("secret for a public client", b -> b.secret("x".repeat(40)), "a public client has no secret"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void registerWhenARuleIsBrokenThenRefusedNamingItAndNothingIsStored(String name, UnaryOperator<ClientRegistration.Request.Builder> change,
                                                                       String because) {
        ClientRegistration.Request request = change.apply(spa()).build();

        assertThatThrownBy(() -> registration.register(request)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(because);
        assertThat(store.list()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void theSecretNeverAppearsInARefusal() {
        String secret = "s3cr3t-" + "x".repeat(10);
        assertThatThrownBy(() -> registration.register(spa().type(Client.Type.CONFIDENTIAL).secret(secret).build()))
                .hasMessageNotContaining(secret);
        assertThat(spa().secret(secret).build().toString()).doesNotContain(secret);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://app.example.test/cb?x=1", "http://127.0.0.1/cb", "http://127.0.0.1:8123/cb", "http://[::1]:9000/cb",
            "http://localhost:3000/cb", "com.example.app:/oauth2redirect", "com.example.app:/cb?x=1", "HTTPS://App.Example.test/cb"})
    void redirectUrisThatRfc8252AndRfc6749Allow(String uri) {
        Client c = registration.register(spa().redirectUris(uri).postLogoutRedirectUris(uri).build()).client();

        assertThat(c.redirectUris()).containsExactly(uri);
        assertThat(c.postLogoutRedirectUris()).containsExactly(uri);
    }

    @Test
    void aLocalhostRedirectIsAllowedWithANoteThatItMatchesExactly() {
        ClientRegistration.Registered r = registration.register(spa().redirectUris("http://localhost:3000/cb", "http://127.0.0.1/cb").build());

        assertThat(r.notes()).singleElement().asString().contains("http://localhost:3000/cb", "http://127.0.0.1/cb", "RFC 8252");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://rp.example.test/bcl", "https://rp.example.test/bcl?tenant=a", "http://127.0.0.1:8081/bcl", "http://localhost/bcl"})
    void backchannelUrisAllowed(String uri) {
        assertThat(registration.register(spa().backchannel(uri).build()).client().backchannelLogoutUri()).isEqualTo(uri);
    }

    @Test
    void defaultsPickTheGrantsTheSettingsNeed() {
        assertThat(registration.register(spa().build()).client().grants()).containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(registration.register(spa().id("cookie").redirectUris().build()).client().grants()).containsExactly("refresh_token");
        Client backend = registration.register(spa().id("backend").type(Client.Type.CONFIDENTIAL).redirectUris().build()).client();
        assertThat(backend.grants()).containsExactly("client_credentials");
        assertThat(backend.scope()).isEqualTo(ClientRegistration.DEFAULT_SCOPE);
    }

    @Test
    void consentIsAskedUnlessFirstPartyAndAFirstPartyClientMayStillAskForIt() {
        assertThat(registration.register(spa().build()).client().consentRequired()).isTrue();
        assertThat(registration.register(spa().id("own").firstParty().build()).client().consentRequired()).isFalse();
        assertThat(registration.register(spa().id("own2").firstParty().consent(true).build()).client().consentRequired()).isTrue();
    }

    @Test
    void aFirstPartyClientMayUseThePasswordGrant() {
        Client c = registration.register(spa().redirectUris().firstParty().grants("password", "refresh_token").build()).client();

        assertThat(c.grants()).containsExactlyInAnyOrder("password", "refresh_token");
    }

    @Test
    void aGeneratedSecretHas256BitsAndOnlyItsSha256IsStored() {
        ClientRegistration.Registered r = registration.register(spa().type(Client.Type.CONFIDENTIAL).build());

        assertThat(Base64Url.decodeCanonical(r.generatedSecret())).hasSize(32);
        assertThat(store.find("web").orElseThrow().secretHash()).isEqualTo(ClientRegistry.hashSecret(r.generatedSecret()))
                .isNotEqualTo(r.generatedSecret());
        ClientRegistration.Registered other = registration.register(spa().id("web2").type(Client.Type.CONFIDENTIAL).build());
        assertThat(other.generatedSecret()).isNotEqualTo(r.generatedSecret());
        assertThat(events).extracting(AuditEvent::type).containsExactly("client.registered", "client.registered");
        assertThat(events.toString()).doesNotContain(r.generatedSecret());
    }

    @Test
    void aChosenSecretIsStoredAsItsSha256AndNothingIsGenerated() {
        String secret = "a-chosen-secret-of-more-than-32-characters";
        ClientRegistration.Registered r = registration.register(spa().type(Client.Type.CONFIDENTIAL).secret(secret).build());

        assertThat(r.generatedSecret()).isNull();
        assertThat(r.client().secretHash()).isEqualTo(ClientRegistry.hashSecret(secret));
    }

    @Test
    void aTakenIdIsRefused() {
        registration.register(spa().build());

        assertThatThrownBy(() -> registration.register(spa().build())).hasMessageContaining("'web' exists");
    }

    @Test
    void rotateSecretKeepsTheOldOneForTheOverlapOnly() {
        String first = registration.register(spa().type(Client.Type.CONFIDENTIAL).build()).generatedSecret();
        ClientRegistry registry = new ClientRegistry(store, clock, Set.of());

        ClientRegistration.Registered r = registration.rotateSecret("web", ClientRegistration.DEFAULT_OVERLAP);
        Client rotated = store.find("web").orElseThrow();

        assertThat(r.generatedSecret()).isNotEqualTo(first);
        assertThat(rotated.previousSecretExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        assertThat(registry.secretMatches(rotated, r.generatedSecret())).isTrue();
        assertThat(registry.secretMatches(rotated, first)).as("during the overlap").isTrue();
        clock.advance(Duration.ofHours(24));
        assertThat(registry.secretMatches(rotated, first)).as("after the overlap").isFalse();
        assertThat(rotated.redirectUris()).containsExactly("https://app.example.test/cb");
        assertThat(events).extracting(AuditEvent::type).containsExactly("client.registered", "client.secret_rotated");
    }

    @Test
    void rotateSecretTwiceDropsTheFirstSecretAtOnce() {
        String first = registration.register(spa().type(Client.Type.CONFIDENTIAL).build()).generatedSecret();
        String second = registration.rotateSecret("web", Duration.ofHours(1)).generatedSecret();
        registration.rotateSecret("web", Duration.ofHours(1));
        ClientRegistry registry = new ClientRegistry(store, clock, Set.of());
        Client c = store.find("web").orElseThrow();

        assertThat(registry.secretMatches(c, first)).isFalse();
        assertThat(registry.secretMatches(c, second)).isTrue();
    }

    @Test
    void rotateSecretWithoutOverlapStopsTheOldSecretNow() {
        String first = registration.register(spa().type(Client.Type.CONFIDENTIAL).build()).generatedSecret();
        registration.rotateSecret("web", Duration.ZERO);
        Client c = store.find("web").orElseThrow();

        assertThat(c.previousSecretHash()).isNull();
        assertThat(new ClientRegistry(store, clock, Set.of()).secretMatches(c, first)).isFalse();
    }

    @Test
    void rotateSecretRefusals() {
        registration.register(spa().build());
        registration.register(spa().id("backend").type(Client.Type.CONFIDENTIAL).redirectUris().build());

        assertThatThrownBy(() -> registration.rotateSecret("web", Duration.ofHours(1))).hasMessageContaining("public");
        assertThatThrownBy(() -> registration.rotateSecret("nobody", Duration.ofHours(1))).hasMessageContaining("no client nobody");
        assertThatThrownBy(() -> registration.rotateSecret("backend", Duration.ofDays(31))).hasMessageContaining("between 0 and 30d");
        assertThatThrownBy(() -> registration.rotateSecret("backend", Duration.ofSeconds(-1))).hasMessageContaining("between 0");
        assertThat(store.find("backend").orElseThrow().previousSecretHash()).isNull();
    }

    @Test
    void rotateSecretWhenAnotherRotationWonThenRefusedAndTheWinnerKept() {
        registration.register(spa().type(Client.Type.CONFIDENTIAL).build());
        Client before = store.find("web").orElseThrow();
        registration.rotateSecret("web", Duration.ZERO);
        Client winner = store.find("web").orElseThrow();

        // The store refuses a replacement that read the secret before the winner's.
        assertThat(store.replace(before, before.secretHash())).isFalse();
        assertThat(store.find("web")).contains(winner);
    }

    @Test
    void removeIsRefusedWhileTheClientHasLiveSessionsUnlessForced() {
        registration.register(spa().build());
        store.setLiveSessions("web", 2);

        assertThat(registration.remove("web", false)).isInstanceOfSatisfying(ClientRegistration.HasLiveSessions.class,
                h -> assertThat(h.sessions()).isEqualTo(2));
        assertThat(store.find("web")).isPresent();

        assertThat(registration.remove("web", true)).isInstanceOfSatisfying(ClientRegistration.Removed.class,
                r -> assertThat(r.sessions()).isEqualTo(2));
        assertThat(store.find("web")).isEmpty();
        assertThat(events).extracting(AuditEvent::type).containsExactly("client.registered", "client.removed");
        assertThat(events.get(1).detail()).containsEntry("sessions", "2");
    }

    @Test
    void removeWithoutLiveSessionsNeedsNoForceAndAnUnknownClientIsRefused() {
        registration.register(spa().build());

        assertThat(registration.remove("web", false)).isInstanceOf(ClientRegistration.Removed.class);
        assertThatThrownBy(() -> registration.remove("web", false)).hasMessageContaining("no client web");
    }

    private static Arguments refused(String name, UnaryOperator<ClientRegistration.Request.Builder> change, String because) {
        return Arguments.of(name, change, because);
    }

    private static String[] many(int n) {
        String[] uris = new String[n];
        Arrays.setAll(uris, i -> "https://app.example.test/cb" + i);
        return uris;
    }
}
