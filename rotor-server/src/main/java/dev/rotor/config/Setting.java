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
    THROTTLE_MAX_WAIT("15m", "the longest wait; waits start at 1s and double with each further failure"),
    GEOIP_DB("", "MaxMind-format .mmdb (City or Country) for the new-country and impossible-travel signals; empty = no geo signals"),
    DENY_IPS("", "file of CIDRs (one a line, # comments) whose sign-ins and refreshes are denied; reloaded when it changes"),
    DENY_IPS_RELOAD("5s", "how often the deny-list file is checked for changes"),
    RISK_STEP_UP_AT("40", "risk score from which a second factor is asked"),
    RISK_DENY_AT("80", "risk score from which a sign-in or refresh is denied"),
    RISK_DENY_WITHOUT_SECOND_FACTOR("true", "deny (rather than allow) a user with no second factor whom the risk policy asks to step up"),
    RISK_WEIGHT_NEW_DEVICE("20", "score of a sign-in from a device (cookie or native device_id) the user never signed in from"),
    RISK_WEIGHT_NEW_NETWORK("10", "score of a sign-in from a network (/24, /48, or autonomous system) the user never signed in from"),
    RISK_WEIGHT_NEW_COUNTRY("30", "score of a sign-in from a country the user never signed in from"),
    RISK_WEIGHT_IMPOSSIBLE_TRAVEL("80", "score of a sign-in too far from the last one for the time between them"),
    RISK_TRAVEL_KMH("1000", "speed (km/h) above which travel between two sign-ins is impossible"),
    RISK_TRAVEL_MIN_KM("500", "distances up to this (km) are never impossible travel: GeoIP places are that coarse"),
    RISK_WEIGHT_ACCOUNT_FAILURE("10", "score per recent failed sign-in on the account beyond the free ones"),
    RISK_FREE_ACCOUNT_FAILURES("3", "recent failed sign-ins on the account that cost nothing (typos)"),
    RISK_WEIGHT_IP_FAILURE("2", "score per recent failed sign-in from the IP beyond the free ones"),
    RISK_FREE_IP_FAILURES("10", "recent failed sign-ins from the IP that cost nothing (offices and carriers share IPs)"),
    RISK_WEIGHT_REFRESH_NETWORK("10", "score of a refresh from a network the session was neither created nor last used on"),
    RISK_WEIGHT_REFRESH_COUNTRY("40", "score of a refresh from a country the session was neither created nor last used in"),
    RISK_WEIGHT_REFRESH_USER_AGENT("30", "score of a refresh from another browser or OS family than the session's"),
    RISK_WEIGHT_REFRESH_DEVICE("40", "score of a refresh from another device (device cookie or native device_id) than the session was signed in on"),
    RISK_HISTORY_SIZE("20", "devices, networks and countries remembered per user; the least recently seen is forgotten first"),
    RISK_TRUST_KNOWN_DEVICES("false", "a user with a second factor who signs in from a known device with nothing else new is not asked for it"),
    NOTIFY_WEBHOOK_URL("", "https URL (http only to a loopback address) that security notices are POSTed to, signed; empty = notices go to the log"),
    NOTIFY_WEBHOOK_SECRET("", "HMAC-SHA256 key of the webhook's Rotor-Signature, at least 32 characters; required with the URL; never printed");

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
