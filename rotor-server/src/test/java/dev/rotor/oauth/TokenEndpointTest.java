package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.RequestInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grant registry: dispatch by grant_type, the client's registered grants, and what discovery may advertise. */
class TokenEndpointTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Client SPA = new Client("spa", Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token", "authorization_code"),
            Set.of(), false, "openid", CLOCK.instant(), Set.of());

    private final List<String> called = new ArrayList<>();
    private final TokenEndpoint endpoint;

    TokenEndpointTest() {
        InMemoryClientStore store = new InMemoryClientStore();
        store.add(SPA);
        endpoint = new TokenEndpoint(new ClientAuthentication(new ClientRegistry(store, CLOCK, Set.of())),
                List.of(recording(GrantType.REFRESH_TOKEN), recording(GrantType.PASSWORD)));
    }

    private Grant recording(GrantType type) {
        return new Grant() {
            @Override
            public GrantType type() {
                return type;
            }

            @Override
            public TokenResponse handle(Client client, TokenRequest request) {
                called.add(type.value() + " for " + client.id());
                return null;
            }
        };
    }

    private static TokenRequest request(String grantType) {
        return new TokenRequest(grantType, Map.of(), new ClientCredentials("spa", null, false), new RequestInfo("192.0.2.1", "test"));
    }

    @Test
    void handleWhenGrantRegisteredAndAllowedThenItsHandlerRuns() {
        endpoint.handle(request("refresh_token"));
        assertThat(called).containsExactly("refresh_token for spa");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // registered here, but the client is not registered for it
            "password, unauthorized_client",
            // a known grant name, allowed for the client, with no handler registered: not served
            "authorization_code, unsupported_grant_type",
            "urn:ietf:params:oauth:grant-type:device_code, unsupported_grant_type",
            "REFRESH_TOKEN, unsupported_grant_type",
            "'', invalid_request",
    })
    void handleWhenGrantNotServedForTheClientThenRefusedAndNoHandlerRuns(String grantType, String error) {
        assertThatThrownBy(() -> endpoint.handle(request(grantType))).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().code().value()).isEqualTo(error));
        assertThat(called).isEmpty();
    }

    @Test
    void handleWhenClientUnknownThenInvalidClientBeforeTheGrantIsLookedAt() {
        TokenRequest r = new TokenRequest("nonsense", Map.of(), new ClientCredentials("nobody", null, false), new RequestInfo("192.0.2.1", null));
        assertThatThrownBy(() -> endpoint.handle(r)).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error().code()).isEqualTo(ErrorCode.INVALID_CLIENT));
    }

    @Test
    void grantTypesAreExactlyTheRegisteredOnes() {
        assertThat(endpoint.grantTypes()).containsExactlyInAnyOrder(GrantType.REFRESH_TOKEN, GrantType.PASSWORD);
    }

    @Test
    void constructWhenTwoHandlersForOneGrantThenRefused() {
        assertThatThrownBy(() -> new TokenEndpoint(null, List.of(recording(GrantType.PASSWORD), recording(GrantType.PASSWORD))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
    }
}
