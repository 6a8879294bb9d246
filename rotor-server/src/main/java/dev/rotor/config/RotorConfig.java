package dev.rotor.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The whole configuration, checked once at start-up. Defaults are documented on {@link Setting}.
 *
 * @param database         where the database lives (SQLite or PostgreSQL), with the PostgreSQL pool size
 * @param audience         the {@code aud} of access tokens
 * @param idleTtl          a family unused for this long is dead; equal to sessionTtl means off
 * @param grace            retry window of a used refresh token whose successor was never presented; 0 = strict
 * @param allowedOrigins   origins allowed for every browser client in addition to its own
 * @param keyRotation      0 disables automatic rotation
 * @param hashConcurrency  resolved to a positive number
 * @param throttleWindow   failed sign-ins are counted together over this long (see {@code throttle/Throttle})
 * @param risk             the risk engine's signal sources, weights and thresholds
 * @param notices          where security notices go: the log, or a signed webhook
 */
public record RotorConfig(
        int port,
        String bind,
        Path dataDir,
        DatabaseConfig database,
        String issuer,
        String audience,
        Duration accessTtl,
        Duration sessionTtl,
        Duration idleTtl,
        Duration grace,
        Set<String> allowedOrigins,
        boolean cookieSecure,
        String signingAlg,
        Duration keyRotation,
        List<Cidr> trustedProxies,
        Path masterKeyFile,
        int hashConcurrency,
        int argon2MemoryKib,
        int argon2Iterations,
        int argon2Parallelism,
        Duration throttleWindow,
        int throttleSourceFailures,
        int throttleAccountFailures,
        Duration throttleMaxWait,
        RiskConfig risk,
        NotifyConfig notices) {

    public static final Set<String> SIGNING_ALGS = Set.of("ES256", "RS256", "EdDSA");

    public RotorConfig {
        allowedOrigins = Set.copyOf(allowedOrigins);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** The database's JDBC URL; never holds a password (see {@link DatabaseConfig}). */
    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /** Name of the refresh cookie: the {@code __Secure-} prefix makes browsers refuse it over plain http. */
    public String cookieName() {
        return cookieSecure ? "__Secure-rotor_rt" : "rotor_rt";
    }

    /**
     * Resolves every setting as flag &gt; env &gt; file &gt; default and validates it.
     *
     * @param flags values given on the command line, keyed by setting
     * @param env   the process environment
     * @param file  a properties file (keys as {@link Setting#key()}), or null
     */
    public static RotorConfig load(Map<Setting, String> flags, Map<String, String> env, Path file) {
        Properties fromFile = readFile(file);
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            String v = flags.get(s);
            if (v == null) v = env.get(s.env());
            if (v == null) v = fromFile.getProperty(s.key());
            if (v == null) v = s.defaultValue();
            raw.put(s, v.trim());
        }
        for (String key : fromFile.stringPropertyNames()) {
            if (Arrays.stream(Setting.values()).noneMatch(s -> s.key().equals(key))) {
                throw new ConfigException("unknown setting '" + key + "' in " + file);
            }
        }
        return new Resolver(raw).resolve();
    }

    private static Properties readFile(Path file) {
        Properties p = new Properties();
        if (file == null) return p;
        if (!Files.isRegularFile(file)) throw new ConfigException("config file " + file + " does not exist");
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** Turns raw strings into typed values; every failure names the setting. */
    private record Resolver(Map<Setting, String> raw) {

        RotorConfig resolve() {
            int port = get(Setting.PORT, Integer::parseInt);
            if (port < 0 || port > 65535) fail(Setting.PORT, "must be 0-65535");
            Path dataDir = Path.of(raw.get(Setting.DATA_DIR));
            DatabaseConfig database = database(dataDir);
            String issuer = raw.get(Setting.ISSUER).isEmpty() ? "http://localhost:" + port : raw.get(Setting.ISSUER);
            URI issuerUri = checkIssuer(issuer);
            String audience = raw.get(Setting.AUDIENCE).isEmpty() ? issuer : raw.get(Setting.AUDIENCE);
            Duration access = positive(Setting.ACCESS_TTL);
            Duration session = positive(Setting.SESSION_TTL);
            Duration idle = positive(Setting.IDLE_TTL);
            Duration grace = get(Setting.GRACE, Durations::parse);
            if (grace.compareTo(Duration.ofDays(1)) > 0) fail(Setting.GRACE, "must be at most 1d");
            if (access.compareTo(session) > 0) fail(Setting.ACCESS_TTL, "must not exceed " + Setting.SESSION_TTL.env());
            boolean secure = bool(Setting.COOKIE_SECURE);
            if (!secure && !isLocalHttp(issuerUri)) {
                fail(Setting.COOKIE_SECURE, "false is only allowed when the issuer is http://localhost or a loopback address");
            }
            String alg = raw.get(Setting.SIGNING_ALG);
            if (!SIGNING_ALGS.contains(alg)) fail(Setting.SIGNING_ALG, "must be one of " + SIGNING_ALGS);
            Duration rotation = get(Setting.KEY_ROTATION, Durations::parse);
            // The next key must have been published for a JWKS cache time plus a reload before it signs.
            if (!rotation.isZero() && rotation.compareTo(access.plus(KeySchedule.NEXT_KEY_LEAD)) < 0) {
                fail(Setting.KEY_ROTATION, "must be 0 or longer than the access token lifetime plus " + KeySchedule.NEXT_KEY_LEAD.toSeconds() + "s");
            }
            Set<String> origins = Set.copyOf(list(Setting.ALLOWED_ORIGINS).stream().map(o -> origin(Setting.ALLOWED_ORIGINS, o)).toList());
            List<Cidr> proxies = list(Setting.TRUSTED_PROXIES).stream().map(c -> get(Setting.TRUSTED_PROXIES, c, Cidr::parse)).toList();
            Path masterKeyFile = raw.get(Setting.MASTER_KEY_FILE).isEmpty() ? dataDir.resolve("master.key") : Path.of(raw.get(Setting.MASTER_KEY_FILE));
            int hashes = get(Setting.HASH_CONCURRENCY, Integer::parseInt);
            if (hashes < 0 || hashes > 256) fail(Setting.HASH_CONCURRENCY, "must be 0-256");
            if (hashes == 0) hashes = Runtime.getRuntime().availableProcessors();
            int memory = get(Setting.ARGON2_MEMORY_KIB, Integer::parseInt);
            if (memory < 19456 || memory > 4 * 1024 * 1024) fail(Setting.ARGON2_MEMORY_KIB, "must be 19456 (OWASP minimum) to 4194304");
            int iterations = get(Setting.ARGON2_ITERATIONS, Integer::parseInt);
            if (iterations < 2 || iterations > 100) fail(Setting.ARGON2_ITERATIONS, "must be 2 (OWASP minimum) to 100");
            int lanes = get(Setting.ARGON2_PARALLELISM, Integer::parseInt);
            if (lanes < 1 || lanes > 16) fail(Setting.ARGON2_PARALLELISM, "must be 1-16");
            Duration throttleWindow = positive(Setting.THROTTLE_WINDOW);
            int sourceFailures = get(Setting.THROTTLE_SOURCE_FAILURES, Integer::parseInt);
            if (sourceFailures < 1 || sourceFailures > 100_000) fail(Setting.THROTTLE_SOURCE_FAILURES, "must be 1-100000");
            int accountFailures = get(Setting.THROTTLE_ACCOUNT_FAILURES, Integer::parseInt);
            if (accountFailures < 1 || accountFailures > 100_000) fail(Setting.THROTTLE_ACCOUNT_FAILURES, "must be 1-100000");
            Duration maxWait = positive(Setting.THROTTLE_MAX_WAIT);
            if (maxWait.compareTo(Duration.ofSeconds(1)) < 0 || maxWait.compareTo(Duration.ofDays(1)) > 0) {
                fail(Setting.THROTTLE_MAX_WAIT, "must be 1s to 1d");
            }
            return new RotorConfig(port, raw.get(Setting.BIND), dataDir, database, issuer, audience, access, session, idle, grace,
                    origins, secure, alg, rotation, proxies, masterKeyFile, hashes, memory, iterations, lanes, throttleWindow, sourceFailures,
                    accountFailures, maxWait, risk(), notices());
        }

        private RiskConfig risk() {
            Path geoIp = readableFile(Setting.GEOIP_DB);
            Path denyIps = readableFile(Setting.DENY_IPS);
            Duration reload = positive(Setting.DENY_IPS_RELOAD);
            if (reload.compareTo(Duration.ofHours(1)) > 0) fail(Setting.DENY_IPS_RELOAD, "must be at most 1h");
            int stepUp = between(Setting.RISK_STEP_UP_AT, 1, 10_000);
            int deny = between(Setting.RISK_DENY_AT, 1, 10_000);
            if (deny < stepUp) fail(Setting.RISK_DENY_AT, "must not be below " + Setting.RISK_STEP_UP_AT.env() + " (" + stepUp + ")");
            return new RiskConfig(geoIp, denyIps, reload, stepUp, deny, bool(Setting.RISK_DENY_WITHOUT_SECOND_FACTOR),
                    weight(Setting.RISK_WEIGHT_NEW_DEVICE), weight(Setting.RISK_WEIGHT_NEW_NETWORK), weight(Setting.RISK_WEIGHT_NEW_COUNTRY),
                    weight(Setting.RISK_WEIGHT_IMPOSSIBLE_TRAVEL), between(Setting.RISK_TRAVEL_KMH, 100, 100_000),
                    between(Setting.RISK_TRAVEL_MIN_KM, 0, 20_000), weight(Setting.RISK_WEIGHT_ACCOUNT_FAILURE),
                    between(Setting.RISK_FREE_ACCOUNT_FAILURES, 0, 1000), weight(Setting.RISK_WEIGHT_IP_FAILURE),
                    between(Setting.RISK_FREE_IP_FAILURES, 0, 100_000), weight(Setting.RISK_WEIGHT_REFRESH_NETWORK),
                    weight(Setting.RISK_WEIGHT_REFRESH_COUNTRY), weight(Setting.RISK_WEIGHT_REFRESH_USER_AGENT),
                    between(Setting.RISK_HISTORY_SIZE, 1, 1000), bool(Setting.RISK_TRUST_KNOWN_DEVICES),
                    weight(Setting.RISK_WEIGHT_REFRESH_DEVICE));
        }

        /**
         * The webhook, or the log when no URL is set. No message quotes either value: the secret is a key, and a URL
         * may carry a receiver's own credential in its path or query.
         */
        private NotifyConfig notices() {
            String url = raw.get(Setting.NOTIFY_WEBHOOK_URL);
            String secret = raw.get(Setting.NOTIFY_WEBHOOK_SECRET);
            if (url.isEmpty()) {
                if (!secret.isEmpty()) fail(Setting.NOTIFY_WEBHOOK_SECRET, "is set but " + Setting.NOTIFY_WEBHOOK_URL.env() + " is not");
                return NotifyConfig.LOG;
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(Setting.NOTIFY_WEBHOOK_URL.env() + " (" + Setting.NOTIFY_WEBHOOK_URL.flag() + ", "
                        + Setting.NOTIFY_WEBHOOK_URL.key() + "): is not a URL (" + e.getReason() + ")");
            }
            if (uri.getHost() == null || uri.getFragment() != null) fail(Setting.NOTIFY_WEBHOOK_URL, "must be an absolute URL without fragment");
            if (uri.getRawUserInfo() != null) fail(Setting.NOTIFY_WEBHOOK_URL, "must not hold a user or password; the signature authenticates each POST");
            if (!"https".equals(uri.getScheme()) && !isLocalHttp(uri)) {
                fail(Setting.NOTIFY_WEBHOOK_URL, "must use https unless the host is localhost or a loopback address");
            }
            if (secret.isEmpty()) fail(Setting.NOTIFY_WEBHOOK_SECRET, "is required with " + Setting.NOTIFY_WEBHOOK_URL.env());
            if (secret.length() < NotifyConfig.MIN_SECRET_LENGTH) {
                fail(Setting.NOTIFY_WEBHOOK_SECRET, "must be at least " + NotifyConfig.MIN_SECRET_LENGTH + " characters (openssl rand -hex 32 makes one)");
            }
            return new NotifyConfig(uri, secret);
        }

        /** Null when the setting is empty; otherwise a file that exists and can be read, or start-up stops. */
        private Path readableFile(Setting s) {
            if (raw.get(s).isEmpty()) return null;
            Path p = get(s, Path::of);
            if (!Files.isRegularFile(p)) fail(s, p + " does not exist or is not a file");
            if (!Files.isReadable(p)) fail(s, p + " is not readable");
            return p;
        }

        private int weight(Setting s) {
            return between(s, 0, 10_000);
        }

        private int between(Setting s, int min, int max) {
            int v = get(s, Integer::parseInt);
            if (v < min || v > max) fail(s, "must be " + min + "-" + max);
            return v;
        }

        private DatabaseConfig database(Path dataDir) {
            int pool = get(Setting.DB_POOL, Integer::parseInt);
            if (pool < 1 || pool > 1000) fail(Setting.DB_POOL, "must be 1-1000");
            try {
                return DatabaseConfig.parse(raw.get(Setting.DB), dataDir, pool);
            } catch (IllegalArgumentException e) {
                // The message masks the password; the raw value never goes into it.
                fail(Setting.DB, e.getMessage());
                throw e;
            }
        }

        private URI checkIssuer(String issuer) {
            URI uri = get(Setting.ISSUER, issuer, URI::new);
            // OIDC Discovery §3: https, no query or fragment; http is tolerated only on loopback for development.
            if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null || issuer.endsWith("/")) {
                fail(Setting.ISSUER, "must be an absolute URL without query, fragment or trailing slash");
            }
            if (!"https".equals(uri.getScheme()) && !isLocalHttp(uri)) {
                fail(Setting.ISSUER, "must use https unless the host is localhost or a loopback address");
            }
            return uri;
        }

        /** http on localhost or a literal loopback address only (a name like 127.0.0.1.example.com is not local). */
        private static boolean isLocalHttp(URI uri) {
            String host = uri.getHost();
            if (!"http".equals(uri.getScheme()) || host == null) return false;
            if ("localhost".equals(host)) return true;
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            // The one IP-literal parser (no DNS lookup, canonical forms only: 127.1 and 999.1.1.1 are not addresses).
            return IpLiteral.parse(literal).map(java.net.InetAddress::isLoopbackAddress).orElse(false);
        }

        private String origin(Setting s, String value) {
            if (!Origins.isOrigin(value)) fail(s, "'" + value + "' is not an origin (scheme://host[:port])");
            return value;
        }

        private Duration positive(Setting s) {
            Duration d = get(s, Durations::parse);
            if (d.isZero() || d.isNegative()) fail(s, "must be positive");
            return d;
        }

        private boolean bool(Setting s) {
            return switch (raw.get(s).toLowerCase()) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new ConfigException(s.env() + ": expected true or false, got '" + raw.get(s) + "'");
            };
        }

        private List<String> list(Setting s) {
            return Arrays.stream(raw.get(s).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }

        private <T> T get(Setting s, Parser<T> parser) {
            return get(s, raw.get(s), parser);
        }

        private static <T> T get(Setting s, String value, Parser<T> parser) {
            try {
                return parser.parse(value);
            } catch (Exception e) {
                throw new ConfigException(s.env() + " (" + s.flag() + ", " + s.key() + "): invalid value '" + value + "': " + e.getMessage());
            }
        }

        private static void fail(Setting s, String why) {
            throw new ConfigException(s.env() + " (" + s.flag() + ", " + s.key() + "): " + why);
        }
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String value) throws Exception;
    }

}
