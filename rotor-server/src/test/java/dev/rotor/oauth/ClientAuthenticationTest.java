package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientAuthenticationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-0123";

    private static final Client SPA = new Client("spa", Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"),
            Set.of("https://app.example.test"), false, "openid", CLOCK.instant(), Set.of());
    private static final Client BACKEND = new Client("backend", Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret(SECRET), List.of(),
            Set.of("client_credentials", "refresh_token"), Set.of(), false, "orders:read", CLOCK.instant(), Set.of());

    private final InMemoryClientStore store = new InMemoryClientStore();
    private final ClientAuthentication auth;

    ClientAuthenticationTest() {
        store.add(SPA);
        store.add(BACKEND);
        auth = new ClientAuthentication(new ClientRegistry(store, CLOCK, Set.of()));
    }

    @Test
    void authenticateWhenPublicClientSendsNoSecretThenClient() {
        assertThat(auth.authenticate(new ClientCredentials("spa", null, false))).isEqualTo(SPA);
    }

    @Test
    void authenticateWhenConfidentialClientSendsItsSecretThenClient() {
        assertThat(auth.authenticate(new ClientCredentials("backend", SECRET, true))).isEqualTo(BACKEND);
        assertThat(auth.authenticate(new ClientCredentials("backend", SECRET, false))).isEqualTo(BACKEND);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void authenticateWhenCredentialsWrongThenInvalidClientWithOneGenericDescription(String why, ClientCredentials creds) {
        assertThatThrownBy(() -> auth.authenticate(creds)).isInstanceOfSatisfying(OAuthException.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_CLIENT);
            // The same text for every refusal: the answer must not tell an unknown client from a wrong secret.
            assertThat(e.error().description()).isEqualTo("client authentication failed");
            assertThat(e.getMessage()).doesNotContain(SECRET);
            if (creds.secret() != null && !creds.secret().isEmpty()) assertThat(e.getMessage()).doesNotContain(creds.secret());
        });
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("public client with a secret", new ClientCredentials("spa", "anything", true)),
                Arguments.of("public client with an empty secret", new ClientCredentials("spa", "", false)),
                Arguments.of("confidential client, wrong secret", new ClientCredentials("backend", SECRET + "x", true)),
                Arguments.of("confidential client, secret of another case", new ClientCredentials("backend", SECRET.toUpperCase(), true)),
                Arguments.of("confidential client, missing secret", new ClientCredentials("backend", null, false)),
                Arguments.of("confidential client, empty secret", new ClientCredentials("backend", "", true)),
                Arguments.of("confidential client, the stored hash as secret",
                        new ClientCredentials("backend", ClientRegistry.hashSecret(SECRET), true)),
                Arguments.of("unknown client", new ClientCredentials("nobody", SECRET, true)),
                Arguments.of("unknown client without secret", new ClientCredentials("nobody", null, false)),
                Arguments.of("missing client_id", new ClientCredentials(null, null, false)),
                Arguments.of("empty client_id", new ClientCredentials("", SECRET, true)),
                Arguments.of("oversized client_id", new ClientCredentials("x".repeat(129), null, false)));
    }

    @Test
    void secretMatchesComparesTheHashOfThePresentedSecret() {
        ClientRegistry registry = new ClientRegistry(store, CLOCK, Set.of());
        assertThat(registry.secretMatches(BACKEND, SECRET)).isTrue();
        assertThat(registry.secretMatches(BACKEND, null)).isFalse();
        assertThat(registry.secretMatches(SPA, SECRET)).isFalse();
        assertThat(BACKEND.secretHash()).doesNotContain(SECRET).hasSize(43);
    }

    @Test
    void aRotatedOutSecretMatchesUntilItsOverlapEndsAndNotAtThatInstant() {
        String previous = "previous-previous-previous-previous-0123";
        Instant until = CLOCK.instant().plusSeconds(60);
        Client rotated = new Client("backend", Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret(SECRET), List.of(),
                Set.of("client_credentials"), Set.of(), false, "", CLOCK.instant(), Set.of(), List.of(), null, true,
                ClientRegistry.hashSecret(previous), until);
        assertThat(new ClientRegistry(store, CLOCK, Set.of()).secretMatches(rotated, previous)).isTrue();
        assertThat(new ClientRegistry(store, CLOCK, Set.of()).secretMatches(rotated, SECRET)).isTrue();
        Clock atEnd = Clock.fixed(until, ZoneOffset.UTC);
        assertThat(new ClientRegistry(store, atEnd, Set.of()).secretMatches(rotated, previous)).isFalse();
        assertThat(new ClientRegistry(store, atEnd, Set.of()).secretMatches(rotated, SECRET)).isTrue();
    }

    @Test
    void clientRecordRefusesAThirdPartyThatSkipsConsentAndAPreviousSecretWithoutAnEnd() {
        assertThatThrownBy(() -> new Client("c", Client.Type.PUBLIC, null, List.of(), Set.of(), Set.of(), false, "", CLOCK.instant(),
                Set.of(), List.of(), null, false, null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consent");
        assertThatThrownBy(() -> new Client("c", Client.Type.CONFIDENTIAL, "h", List.of(), Set.of(), Set.of(), true, "", CLOCK.instant(),
                Set.of(), List.of(), null, false, "old", null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previous");
        assertThat(new Client("c", Client.Type.PUBLIC, null, List.of(), Set.of(), Set.of(), true, "", CLOCK.instant(), Set.of())
                .consentRequired()).as("first-party skips consent by default").isFalse();
        assertThat(new Client("c", Client.Type.PUBLIC, null, List.of(), Set.of(), Set.of(), false, "", CLOCK.instant(), Set.of())
                .consentRequired()).isTrue();
    }

    @Test
    void clientRecordRefusesInconsistentSecrets() {
        assertThatThrownBy(() -> new Client("c", Client.Type.CONFIDENTIAL, null, List.of(), Set.of(), Set.of(), false, "", CLOCK.instant(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Client("c", Client.Type.PUBLIC, "hash", List.of(), Set.of(), Set.of(), false, "", CLOCK.instant(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringsNameTheClientAndNeverShowSecrets() {
        assertThat(new ClientCredentials("backend", SECRET, true).toString()).contains("backend").doesNotContain(SECRET);
        assertThat(BACKEND.toString()).contains("backend").doesNotContain(BACKEND.secretHash());
    }
}
