package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.session.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry's origin rules (which origins may use the cookie API, which get CORS headers) and its cache. */
class ClientRegistryTest {
    private static final String SPA_ORIGIN = "https://app.example.test";
    private static final String OTHER_ORIGIN = "https://other.example.test";
    private static final String GLOBAL_ORIGIN = "https://global.example.test";
    private static final String CONFIDENTIAL_ORIGIN = "https://worker.example.test";

    private final MutableClock clock = new MutableClock();
    private final InMemoryClientStore store = new InMemoryClientStore();
    private final ClientRegistry registry = new ClientRegistry(store, clock, Set.of(GLOBAL_ORIGIN));

    private static final Client SPA = publicClient("spa", SPA_ORIGIN);
    private static final Client OTHER_SPA = publicClient("other-spa", OTHER_ORIGIN);
    private static final Client NATIVE = publicClient("native");
    // The registry does not rely on registration refusing origins for a confidential client.
    private static final Client BACKEND = new Client("backend", Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret("x".repeat(32)), List.of(),
            Set.of("client_credentials"), Set.of(SPA_ORIGIN), false, "orders:read", MutableClock.T0, Set.of());
    /** The only client that lists its origin, and a confidential one. */
    private static final Client WORKER = new Client("worker", Client.Type.CONFIDENTIAL, ClientRegistry.hashSecret("y".repeat(32)), List.of(),
            Set.of("client_credentials"), Set.of(CONFIDENTIAL_ORIGIN), false, "orders:read", MutableClock.T0, Set.of());

    ClientRegistryTest() {
        store.add(SPA);
        store.add(OTHER_SPA);
        store.add(NATIVE);
        store.add(BACKEND);
        store.add(WORKER);
    }

    private static Client publicClient(String id, String... origins) {
        return new Client(id, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(origins), false, "openid",
                MutableClock.T0, Set.of());
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                Arguments.of("the client's own origin", SPA, SPA_ORIGIN, true),
                Arguments.of("an origin allowed for every public client", SPA, GLOBAL_ORIGIN, true),
                Arguments.of("a global origin, client without origins of its own", NATIVE, GLOBAL_ORIGIN, true),
                Arguments.of("another client's origin", SPA, OTHER_ORIGIN, false),
                Arguments.of("a client without origins, another client's origin", NATIVE, SPA_ORIGIN, false),
                Arguments.of("no Origin", SPA, null, false),
                Arguments.of("the origin with a trailing slash", SPA, SPA_ORIGIN + "/", false),
                Arguments.of("the origin in upper case", SPA, SPA_ORIGIN.toUpperCase(), false),
                Arguments.of("the origin over plain http", SPA, "http://app.example.test", false),
                Arguments.of("the origin with its default port", SPA, SPA_ORIGIN + ":443", false),
                Arguments.of("a subdomain of the origin", SPA, "https://evil.app.example.test", false),
                Arguments.of("a confidential client, even from an origin it lists", BACKEND, SPA_ORIGIN, false),
                Arguments.of("a confidential client, a global origin", BACKEND, GLOBAL_ORIGIN, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("origins")
    void allowsOriginOnlyForAPublicClientFromAnOriginItListsOrAGlobalOneSpelledExactly(String why, Client client, String origin,
                                                                                         boolean allowed) {
        assertThat(registry.allowsOrigin(client, origin)).isEqualTo(allowed);
    }

    static Stream<Arguments> knownOrigins() {
        return Stream.of(
                Arguments.of("a client's origin", SPA_ORIGIN, true),
                Arguments.of("another client's origin", OTHER_ORIGIN, true),
                Arguments.of("a global origin", GLOBAL_ORIGIN, true),
                Arguments.of("no Origin", null, false),
                Arguments.of("an origin no client lists", "https://evil.example.test", false),
                Arguments.of("an origin only a confidential client lists", CONFIDENTIAL_ORIGIN, false),
                Arguments.of("a client's origin with a trailing slash", SPA_ORIGIN + "/", false),
                Arguments.of("a client's origin in upper case", SPA_ORIGIN.toUpperCase(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownOrigins")
    void isKnownOriginWhenSomePublicClientOrTheConfigurationListsItExactly(String why, String origin, boolean known) {
        assertThat(registry.isKnownOrigin(origin)).isEqualTo(known);
    }

    @Test
    void isKnownOriginWhenOnlyGlobalOriginsAreConfiguredThenKnownWithoutReadingTheClients() {
        ClientRegistry onlyGlobal = new ClientRegistry(new InMemoryClientStore(), clock, Set.of(GLOBAL_ORIGIN));

        assertThat(onlyGlobal.isKnownOrigin(GLOBAL_ORIGIN)).isTrue();
        assertThat(onlyGlobal.isKnownOrigin(SPA_ORIGIN)).isFalse();
    }

    @Test
    void isKnownOriginSeesTheOriginOfANewClientOnceTheCacheIsOlderThanItsTtl() {
        String later = "https://later.example.test";
        assertThat(registry.isKnownOrigin(later)).isFalse();
        store.add(publicClient("later", later));

        clock.advance(ClientRegistry.TTL);
        assertThat(registry.isKnownOrigin(later)).as("cached for the TTL").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.isKnownOrigin(later)).isTrue();
    }

    @Test
    void findReadsTheStoreOncePerTtlAndSeesANewClientAfterIt() {
        assertThat(registry.find("spa")).contains(SPA);
        assertThat(registry.find("late")).isEmpty();
        store.add(publicClient("late"));
        int reads = store.finds();

        clock.advance(ClientRegistry.TTL);
        assertThat(registry.find("spa")).contains(SPA);
        assertThat(registry.find("late")).as("an unknown id is cached too").isEmpty();
        assertThat(store.finds()).isEqualTo(reads);

        clock.advance(Duration.ofMillis(1));
        assertThat(registry.find("late")).isPresent();
        assertThat(store.finds()).isEqualTo(reads + 1);
    }

    @Test
    void findWhenMoreThanTenThousandIdsWereLookedUpThenDropsTheCacheRatherThanGrowing() {
        assertThat(registry.find("spa")).contains(SPA);
        int reads = store.finds();
        for (int i = 0; i < 10_001; i++) registry.find("unknown-" + i);
        assertThat(store.finds()).isEqualTo(reads + 10_001);

        registry.find("unknown-0");
        registry.find("spa");
        assertThat(store.finds()).as("both were forgotten with the rest").isEqualTo(reads + 10_003);
    }

    @Test
    void findWhenIdEmptyOrLongerThan128CharactersThenEmptyWithoutReadingTheStore() {
        Client longest = publicClient("c".repeat(128));
        store.add(longest);
        store.add(publicClient("c".repeat(129)));

        assertThat(registry.find("c".repeat(128))).contains(longest);
        int reads = store.finds();
        assertThat(registry.find("c".repeat(129))).isEmpty();
        assertThat(registry.find("")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
        assertThat(store.finds()).isEqualTo(reads);
    }
}
