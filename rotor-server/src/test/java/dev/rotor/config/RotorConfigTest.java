package dev.rotor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RotorConfigTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("rotor.properties");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private static Map<Setting, String> flags(Object... pairs) {
        Map<Setting, String> m = new EnumMap<>(Setting.class);
        for (int i = 0; i < pairs.length; i += 2) m.put((Setting) pairs[i], (String) pairs[i + 1]);
        return m;
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    private static RotorConfig load(Map<Setting, String> flags) {
        return RotorConfig.load(flags, Map.of(), null);
    }

    @Test
    void loadWhenNothingSetThenDefaults() {
        RotorConfig c = load(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data").resolve("rotor.db"));
        assertThat(c.issuer()).isEqualTo("http://localhost:8080");
        assertThat(c.audience()).isEqualTo("http://localhost:8080");
        assertThat(c.accessTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.idleTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.grace()).isEqualTo(Duration.ofHours(1));
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.cookieSecure()).isTrue();
        assertThat(c.cookieName()).isEqualTo("__Secure-rotor_rt");
        assertThat(c.signingAlg()).isEqualTo("ES256");
        assertThat(c.keyRotation()).isEqualTo(Duration.ofDays(30));
        assertThat(c.masterKeyFile()).isEqualTo(Path.of("./data").resolve("master.key"));
        assertThat(c.hashConcurrency()).isPositive();
        assertThat(c.argon2MemoryKib()).isEqualTo(19456);
        assertThat(c.argon2Iterations()).isEqualTo(2);
        assertThat(c.argon2Parallelism()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "flag beats env/file/default,       true,  true,  true,  1111",
            "env beats file/default,            false, true,  true,  2222",
            "file beats default,                false, false, true,  3333",
            "default when nothing is set,       false, false, false, 8080"})
    void loadResolvesFlagThenEnvThenFileThenDefault(String why, boolean flag, boolean env, boolean file, int expected)
            throws IOException {
        Map<Setting, String> flags = flag ? flags(Setting.PORT, "1111") : Map.of();
        Map<String, String> environment = env ? env("ROTOR_PORT", "2222") : Map.of();
        Path properties = file ? file("port = 3333") : null;

        assertThat(RotorConfig.load(flags, environment, properties).port()).isEqualTo(expected);
    }

    @Test
    void loadResolvesEachSettingOnItsOwn() throws IOException {
        RotorConfig c = RotorConfig.load(flags(Setting.ACCESS_TTL, "5m"), env("ROTOR_GRACE", "3s", "ROTOR_SIGNING_ALG", "RS256"),
                file("grace = 20s", "signing_alg = EdDSA", "session_ttl = 1d"));

        assertThat(c.accessTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.signingAlg()).isEqualTo("RS256");
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void loadDerivesIssuerAudienceAndDatabaseFromOtherSettings() {
        RotorConfig c = load(flags(Setting.PORT, "9090", Setting.DATA_DIR, "/var/lib/rotor"));

        assertThat(c.issuer()).isEqualTo("http://localhost:9090");
        assertThat(c.audience()).isEqualTo(c.issuer());
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/rotor/rotor.db");
        assertThat(c.masterKeyFile()).isEqualTo(Path.of("/var/lib/rotor/master.key"));
    }

    @ParameterizedTest(name = "access_ttl {0} = {1}s")
    @CsvSource({"900, 900", "900s, 900", "15m, 900", "2h, 7200", "' 15m ', 900"})
    void loadAcceptsDurationSyntax(String text, long seconds) {
        assertThat(load(flags(Setting.ACCESS_TTL, text)).accessTtl()).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void loadAcceptsDaysForSessionTtl() {
        assertThat(load(flags(Setting.SESSION_TTL, "7d")).sessionTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(load(flags(Setting.SESSION_TTL, "30d", Setting.IDLE_TTL, "2d")).idleTtl()).isEqualTo(Duration.ofDays(2));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' -> names {2}")
    @MethodSource("badValues")
    void loadWhenValueIsBadThenConfigExceptionNamingTheSetting(Setting setting, String value, String named) {
        assertThatThrownBy(() -> load(flags(setting, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(named);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(Setting.PORT, "70000", "ROTOR_PORT"),
                Arguments.of(Setting.PORT, "-1", "ROTOR_PORT"),
                Arguments.of(Setting.PORT, "http", "ROTOR_PORT"),
                Arguments.of(Setting.ACCESS_TTL, "abc", "ROTOR_ACCESS_TTL"),
                Arguments.of(Setting.ACCESS_TTL, "15 minutes", "ROTOR_ACCESS_TTL"),
                Arguments.of(Setting.ACCESS_TTL, "0", "ROTOR_ACCESS_TTL"),
                Arguments.of(Setting.ACCESS_TTL, "-5m", "ROTOR_ACCESS_TTL"),
                Arguments.of(Setting.ACCESS_TTL, "8d", "ROTOR_ACCESS_TTL"),        // longer than the session
                Arguments.of(Setting.SESSION_TTL, "7w", "ROTOR_SESSION_TTL"),
                Arguments.of(Setting.IDLE_TTL, "", "ROTOR_IDLE_TTL"),
                Arguments.of(Setting.GRACE, "2d", "ROTOR_GRACE"),
                Arguments.of(Setting.GRACE, "soon", "ROTOR_GRACE"),
                Arguments.of(Setting.SIGNING_ALG, "HS256", "ROTOR_SIGNING_ALG"),
                Arguments.of(Setting.SIGNING_ALG, "none", "ROTOR_SIGNING_ALG"),
                Arguments.of(Setting.SIGNING_ALG, "es256", "ROTOR_SIGNING_ALG"),
                Arguments.of(Setting.COOKIE_SECURE, "maybe", "ROTOR_COOKIE_SECURE"),
                Arguments.of(Setting.ISSUER, "https://auth.example.com/", "ROTOR_ISSUER"),
                Arguments.of(Setting.ISSUER, "https://auth.example.com?x=1", "ROTOR_ISSUER"),
                Arguments.of(Setting.ISSUER, "https://auth.example.com#top", "ROTOR_ISSUER"),
                Arguments.of(Setting.ISSUER, "http://auth.example.com", "ROTOR_ISSUER"),
                Arguments.of(Setting.ISSUER, "auth.example.com", "ROTOR_ISSUER"),
                Arguments.of(Setting.ALLOWED_ORIGINS, "https://app.example.com/login", "ROTOR_ALLOWED_ORIGINS"),
                Arguments.of(Setting.ALLOWED_ORIGINS, "https://app.example.com,https://b.example.com/x", "ROTOR_ALLOWED_ORIGINS"),
                Arguments.of(Setting.ALLOWED_ORIGINS, "app.example.com", "ROTOR_ALLOWED_ORIGINS"),
                Arguments.of(Setting.KEY_ROTATION, "10m", "ROTOR_KEY_ROTATION"),
                Arguments.of(Setting.TRUSTED_PROXIES, "10.0.0.0/33", "ROTOR_TRUSTED_PROXIES"),
                Arguments.of(Setting.TRUSTED_PROXIES, "proxy.internal", "ROTOR_TRUSTED_PROXIES"),
                Arguments.of(Setting.DB, "postgresql://db", "ROTOR_DB"),
                Arguments.of(Setting.DB_POOL, "0", "ROTOR_DB_POOL"),
                Arguments.of(Setting.DB_POOL, "1001", "ROTOR_DB_POOL"),
                Arguments.of(Setting.DB, "mysql://db/rotor", "ROTOR_DB"),
                Arguments.of(Setting.HASH_CONCURRENCY, "1000", "ROTOR_HASH_CONCURRENCY"),
                Arguments.of(Setting.ARGON2_MEMORY_KIB, "19455", "ROTOR_ARGON2_MEMORY_KIB"),
                Arguments.of(Setting.ARGON2_MEMORY_KIB, "4096", "ROTOR_ARGON2_MEMORY_KIB"),
                Arguments.of(Setting.ARGON2_ITERATIONS, "1", "ROTOR_ARGON2_ITERATIONS"),
                Arguments.of(Setting.ARGON2_PARALLELISM, "0", "ROTOR_ARGON2_PARALLELISM"),
                Arguments.of(Setting.THROTTLE_WINDOW, "0", "ROTOR_THROTTLE_WINDOW"),
                Arguments.of(Setting.THROTTLE_SOURCE_FAILURES, "0", "ROTOR_THROTTLE_SOURCE_FAILURES"),
                Arguments.of(Setting.THROTTLE_SOURCE_FAILURES, "ten", "ROTOR_THROTTLE_SOURCE_FAILURES"),
                Arguments.of(Setting.THROTTLE_ACCOUNT_FAILURES, "100001", "ROTOR_THROTTLE_ACCOUNT_FAILURES"),
                Arguments.of(Setting.THROTTLE_MAX_WAIT, "500ms", "ROTOR_THROTTLE_MAX_WAIT"),
                Arguments.of(Setting.THROTTLE_MAX_WAIT, "2d", "ROTOR_THROTTLE_MAX_WAIT"));
    }

    @Test
    void throttlingDefaultsAreTheDocumentedPolicy() {
        RotorConfig c = load(Map.of());
        dev.rotor.throttle.Throttle.Policy p = dev.rotor.throttle.Throttle.Policy.DEFAULT;

        assertThat(List.of(c.throttleWindow(), c.throttleSourceFailures(), c.throttleAccountFailures(), c.throttleMaxWait()))
                .containsExactly(p.window(), p.sourceFreeFailures(), p.accountFreeFailures(), p.maxBlock());
        assertThat(load(flags(Setting.THROTTLE_SOURCE_FAILURES, "3", Setting.THROTTLE_MAX_WAIT, "1h")).throttleMaxWait()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void loadWhenCookieInsecureWithHttpsIssuerThenConfigExceptionNamingCookieSecure() {
        assertThatThrownBy(() -> load(flags(Setting.COOKIE_SECURE, "false", Setting.ISSUER, "https://auth.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ROTOR_COOKIE_SECURE");
    }

    @ParameterizedTest(name = "issuer {0}")
    @CsvSource({"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"})
    void loadWhenCookieInsecureWithLoopbackHttpIssuerThenAccepted(String issuer) {
        RotorConfig c = load(flags(Setting.COOKIE_SECURE, "false", Setting.ISSUER, issuer));

        assertThat(c.cookieSecure()).isFalse();
        assertThat(c.cookieName()).isEqualTo("rotor_rt");
    }

    @ParameterizedTest(name = "issuer {0}")
    @CsvSource({"http://127.0.0.1.nip.io", "http://127.attacker.example:8080", "http://127.1:8080", "http://0x7f.0.0.1:8080"})
    void loadWhenHttpIssuerHostOnlyLooksLikeLoopbackThenRefused(String issuer) {
        // These are public DNS names, not loopback addresses: plain http (and an insecure cookie) must be refused.
        assertThatThrownBy(() -> load(flags(Setting.ISSUER, issuer)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ROTOR_ISSUER");
    }

    @Test
    void loadWhenBadValueComesFromEnvOrFileThenStillNamesTheSetting() throws IOException {
        assertThatThrownBy(() -> RotorConfig.load(Map.of(), env("ROTOR_GRACE", "25h"), null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_GRACE");
        assertThatThrownBy(() -> RotorConfig.load(Map.of(), Map.of(), file("access_ttl = abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_ACCESS_TTL");
    }

    @Test
    void loadWhenFileHasUnknownKeyThenConfigExceptionNamingTheKey() throws IOException {
        Path f = file("port = 8080", "acess_ttl = 15m");

        assertThatThrownBy(() -> RotorConfig.load(Map.of(), Map.of(), f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("acess_ttl");
    }

    @Test
    void loadWhenFileMissingThenConfigException() {
        assertThatThrownBy(() -> RotorConfig.load(Map.of(), Map.of(), dir.resolve("nope.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.properties");
    }

    @Test
    void loadParsesListsAndOrigins() {
        RotorConfig c = load(flags(Setting.ALLOWED_ORIGINS, " https://app.example.com , http://localhost:5173,",
                Setting.TRUSTED_PROXIES, "10.0.0.0/8, 192.168.1.1"));

        assertThat(c.allowedOrigins()).containsExactlyInAnyOrder("https://app.example.com", "http://localhost:5173");
        assertThat(c.trustedProxies()).hasSize(2);
        assertThat(c.trustedProxies().get(1).prefix()).isEqualTo(32);
    }

    @Test
    void loadAcceptsZeroKeyRotationAndZeroGrace() {
        RotorConfig c = load(flags(Setting.KEY_ROTATION, "0", Setting.GRACE, "0"));

        assertThat(c.keyRotation()).isZero();
        assertThat(c.grace()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"900, PT15M", "900s, PT15M", "15m, PT15M", "12h, PT12H", "7d, PT168H", "250ms, PT0.25S", "0, PT0S"})
    void durationsParse(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"abc", "''", "15 m", "-1", "1.5h", "7w", "m", "10000000000"})
    void durationsParseWhenMalformedThenIllegalArgument(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"PT0S, 0s", "PT1S, 1s", "PT90S, 90s", "PT15M, 15m", "PT1H, 1h", "PT36H, 36h", "PT168H, 7d", "PT1.5S, 1500ms",
            "PT10S, 10s"})
    void durationsFormatShortestExactFormAndRoundTrips(Duration d, String text) {
        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
