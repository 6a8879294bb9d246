package dev.rotor.config;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the database lives ({@code ROTOR_DB}). The user and the passwords are kept apart from {@link #jdbcUrl()},
 * which therefore never holds a secret; {@link #toString()} is the setting as given, with its passwords masked, for
 * logs and error messages.
 *
 * @param jdbcUrl     {@code jdbc:sqlite:FILE}, or {@code jdbc:postgresql://HOSTS/DB[?params]} without credentials
 * @param credentials PgJDBC connection properties kept out of the URL: {@code user}, {@code password},
 *                    {@code sslpassword} (those given)
 * @param poolSize    PostgreSQL connections per process (SQLite has its own fixed pool of readers and one writer)
 * @param display     the setting as given, passwords masked
 */
public record DatabaseConfig(Kind kind, String jdbcUrl, Map<String, String> credentials, int poolSize, String display) {

    public enum Kind { SQLITE, POSTGRESQL }

    private static final String MASK = "***";
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&][a-z]*password=)[^&]*");
    /** A host name, an IPv4 literal or a bracketed IPv6 literal. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?]");

    private static final List<String> CREDENTIALS = List.of("user", "password", "sslpassword");

    public DatabaseConfig {
        credentials = Map.copyOf(credentials);
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be positive");
    }

    /** The PostgreSQL user, or null (the driver's default). */
    public String user() {
        return credentials.get("user");
    }

    /** The PostgreSQL password, or null. */
    public String password() {
        return credentials.get("password");
    }

    private static DatabaseConfig sqlite(String jdbcUrl, int poolSize) {
        return new DatabaseConfig(Kind.SQLITE, jdbcUrl, Map.of(), poolSize, jdbcUrl);
    }

    /**
     * Parses a {@code ROTOR_DB} value: empty (SQLite file {@code rotor.db} in {@code dataDir}), a path or a
     * {@code jdbc:sqlite:} URL (SQLite), or {@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://}
     * with {@code [user[:password]@]host[:port][,host[:port]...]/database[?params]} (PostgreSQL; the user, the
     * password and the database percent-encoded; params are PgJDBC connection properties and may carry
     * {@code user} and {@code password} too).
     *
     * @throws IllegalArgumentException with a message that never contains the password
     */
    public static DatabaseConfig parse(String value, Path dataDir, int poolSize) {
        if (value.isEmpty()) return sqlite("jdbc:sqlite:" + dataDir.resolve("rotor.db"), poolSize);
        if (value.startsWith("jdbc:sqlite:")) return sqlite(value, poolSize);
        for (String scheme : List.of("postgresql://", "postgres://", "jdbc:postgresql://")) {
            if (value.startsWith(scheme)) return postgres(value, value.substring(scheme.length()), poolSize);
        }
        if (value.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a PostgreSQL URL must be jdbc:postgresql://host[:port]/database: " + mask(value));
        }
        if (value.contains("://") || value.startsWith("jdbc:")) {
            throw new IllegalArgumentException("unsupported database URL " + mask(value)
                    + " (expected a file path, jdbc:sqlite:FILE, postgresql://... or jdbc:postgresql://...)");
        }
        try {
            return sqlite("jdbc:sqlite:" + Path.of(value), poolSize);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a file path: " + e.getReason());
        }
    }

    private static DatabaseConfig postgres(String value, String rest, int poolSize) {
        String shown = mask(value);
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        String user = null;
        String password = null;
        int at = beforeQuery.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = beforeQuery.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "the user", shown);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "the password", shown);
            beforeQuery = beforeQuery.substring(at + 1);
        }
        int slash = beforeQuery.indexOf('/');
        String database = slash < 0 ? "" : decode(beforeQuery.substring(slash + 1), "the database name", shown);
        if (database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException("a PostgreSQL URL must name one database (.../database): " + shown);
        }
        String hosts = hosts(slash < 0 ? beforeQuery : beforeQuery.substring(0, slash), shown);
        Map<String, String> params = params(query < 0 ? "" : rest.substring(query + 1), shown);
        Map<String, String> credentials = new LinkedHashMap<>();
        if (user != null) credentials.put("user", user);
        if (password != null) credentials.put("password", password);
        for (String key : CREDENTIALS) {
            if (!params.containsKey(key)) continue;
            if (credentials.containsKey(key)) {
                throw new IllegalArgumentException("the " + key + " is given twice (before @ and as ?" + key + "=): " + shown);
            }
            credentials.put(key, params.remove(key));
        }
        credentials.values().removeIf(String::isEmpty);
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(encode(database));
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        return new DatabaseConfig(Kind.POSTGRESQL, url.toString(), credentials, poolSize, shown);
    }

    /** {@code host[:port]}, comma separated (PgJDBC tries them in order). */
    private static String hosts(String spec, String shown) {
        List<String> out = new ArrayList<>();
        for (String hostPort : spec.split(",", -1)) {
            String host = hostPort;
            String port = null;
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && colon > hostPort.lastIndexOf(']')) {
                host = hostPort.substring(0, colon);
                port = hostPort.substring(colon + 1);
            }
            if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("a PostgreSQL URL must name a host: " + shown);
            if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535)) {
                throw new IllegalArgumentException("the port must be 1-65535: " + shown);
            }
            out.add(port == null ? host : host + ":" + port);
        }
        return String.join(",", out);
    }

    private static Map<String, String> params(String query, String shown) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) return params;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name", shown);
            if (key.isEmpty() || eq < 0) throw new IllegalArgumentException("parameters must be name=value: " + shown);
            if (params.put(key, decode(pair.substring(eq + 1), "a parameter", shown)) != null) {
                throw new IllegalArgumentException("parameter '" + key + "' is given twice: " + shown);
            }
        }
        return params;
    }

    /** Percent-decoding as in a URL's user info and path: a '+' stays a '+'. */
    private static String decode(String s, String what, String shown) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad percent-encoding in " + what + ": " + shown);
        }
    }

    /** PgJDBC decodes the database and the parameters with URLDecoder. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The value with any password replaced by {@code ***}: what stands between the first ':' after the scheme and the
     * last '@' (over-masking rather than showing part of a password with an unencoded '@', '/' or '?'), and every
     * {@code password=} parameter.
     */
    static String mask(String value) {
        String s = value;
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            int start = scheme + 3;
            int at = s.lastIndexOf('@');
            int colon = s.indexOf(':', start);
            if (at > start && colon >= 0 && colon < at) s = s.substring(0, colon + 1) + MASK + s.substring(at);
        }
        return PASSWORD_PARAM.matcher(s).replaceAll("$1" + MASK);
    }

    /** The setting as given, passwords masked. */
    @Override
    public String toString() {
        return display;
    }
}
