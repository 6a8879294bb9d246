package dev.rotor.config;

import java.util.Locale;

/**
 * Every setting Rotor reads. Each one has a config-file key ({@link #key()}), an environment variable
 * ({@link #env()}) and a command-line flag ({@link #flag()}); precedence is flag &gt; env &gt; file &gt; default.
 * An empty default means "derived from other settings" (see {@link RotorConfig}).
 */
public enum Setting {
    PORT("8080", "TCP port of the HTTP server"),
    BIND("127.0.0.1", "address the HTTP server binds to"),
    DATA_DIR("./data", "directory for the SQLite database and the master key file"),
    DB("", "database: empty = SQLite file rotor.db in the data dir; a path or jdbc:sqlite: URL; "
            + "postgresql://user[:password]@host[:port]/db[?params] or jdbc:postgresql://... for PostgreSQL"),
    DB_POOL("16", "PostgreSQL connections per process (ignored for SQLite)"),
    ISSUER("", "issuer URL (iss claim, discovery); default http://localhost:PORT"),
    AUDIENCE("", "aud claim of access tokens; default the issuer"),
    ACCESS_TTL("15m", "access token lifetime"),
    SESSION_TTL("7d", "absolute session (refresh token family) lifetime; rotation never extends it"),
    IDLE_TTL("7d", "session idle timeout: a family unused this long is dead"),
    GRACE("1h", "retry window: a used refresh token whose successor was never presented gets that successor again; 0 = strict"),
    ALLOWED_ORIGINS("", "comma-separated origins allowed for every browser client, besides each client's own"),
    COOKIE_SECURE("true", "Secure refresh cookie named __Secure-rotor_rt; false only with an http://localhost issuer"),
    SIGNING_ALG("ES256", "signature algorithm for new signing keys: ES256, RS256 or EdDSA"),
    KEY_ROTATION("30d", "automatic signing-key rotation interval; 0 = only by `rotor keys rotate`"),
    TRUSTED_PROXIES("", "comma-separated CIDRs whose X-Forwarded-For is believed"),
    MASTER_KEY_FILE("", "file holding the master key that encrypts private keys; default DATA_DIR/master.key"),
    HASH_CONCURRENCY("0", "password hashes run at once; 0 = number of cores (each Argon2id hash holds its memory)"),
    ARGON2_MEMORY_KIB("19456", "Argon2id memory in KiB (OWASP minimum 19456)"),
    ARGON2_ITERATIONS("2", "Argon2id iterations (OWASP minimum 2 at 19 MiB)"),
    ARGON2_PARALLELISM("1", "Argon2id lanes"),
    THROTTLE_WINDOW("15m", "failed sign-ins are counted together over this long"),
    THROTTLE_SOURCE_FAILURES("10", "failed sign-ins from one address (an IPv6 /64) per window before it must wait"),
    THROTTLE_ACCOUNT_FAILURES("50", "failed sign-ins on one account per window before unknown devices must wait"),
    THROTTLE_MAX_WAIT("15m", "the longest wait; waits start at 1s and double with each further failure");

    private final String defaultValue;
    private final String description;

    Setting(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** Key in the config file, e.g. {@code access_ttl}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Environment variable, e.g. {@code ROTOR_ACCESS_TTL}. */
    public String env() {
        return "ROTOR_" + name();
    }

    /** Command-line flag, e.g. {@code --access-ttl}. */
    public String flag() {
        return "--" + key().replace('_', '-');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
