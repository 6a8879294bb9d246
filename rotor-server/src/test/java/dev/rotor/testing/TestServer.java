package dev.rotor.testing;

import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.app.Rotor;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.store.PostgresFixture;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real Rotor on loopback (production wiring, SQLite in a temporary directory, a random port) for black-box
 * tests, with the fixtures they share. {@link #startOnPostgres} puts its data in a fresh PostgreSQL database
 * instead (dropped on close); {@code -Drotor.test.db=postgresql} does so for every test server, so that the whole
 * black-box suite runs on PostgreSQL. A {@link Setting#DB} override is used as given.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String MASTER_KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    public static final String SPA_ORIGIN = "https://app.example.test";
    public static final String CONFIDENTIAL_SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-0123";

    private static final boolean ALL_ON_POSTGRES = "postgresql".equals(System.getProperty("rotor.test.db"));

    private final Path dir;
    private final boolean ownsDir;
    private final Rotor rotor;
    private final int port;
    private final PostgresFixture postgres;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Path dir, boolean ownsDir, Rotor rotor, int port, PostgresFixture postgres) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.rotor = rotor;
        this.port = port;
        this.postgres = postgres;
    }

    /** Starts with defaults plus {@code overrides} (settings as strings, e.g. GRACE -> "0"). */
    public static TestServer start(Map<Setting, String> overrides) {
        return start(overrides, Clock.systemUTC());
    }

    public static TestServer start(Map<Setting, String> overrides, Clock clock) {
        return start(overrides, clock, OutboxDeliverer.Settings.DEFAULT);
    }

    /** With back-channel logout retried and polled at {@code logout}'s pace, one a test can wait for. */
    public static TestServer start(Map<Setting, String> overrides, Clock clock, OutboxDeliverer.Settings logout) {
        boolean onPostgres = ALL_ON_POSTGRES && !overrides.containsKey(Setting.DB);
        return start(null, overrides, clock, onPostgres ? PostgresFixture.create() : null, true, logout);
    }

    /**
     * Starts with the issuer at the server's own loopback address ({@code http://127.0.0.1:PORT}), for a client that
     * finds every endpoint through discovery. The port is picked free before the start, so another process can take it
     * in between: a start that cannot bind is tried again on another port.
     */
    public static TestServer startAtItsIssuer(Map<Setting, String> overrides, Clock clock) {
        return startAtItsIssuer("127.0.0.1", overrides, clock);
    }

    /** The same with the issuer's host named: {@code localhost}, say, for a browser that should see it as another site than 127.0.0.1. */
    public static TestServer startAtItsIssuer(String host, Map<Setting, String> overrides, Clock clock) {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.putAll(overrides);
            flags.put(Setting.PORT, Integer.toString(port));
            flags.put(Setting.ISSUER, "http://" + host + ":" + port);
            try {
                return start(flags, clock);
            } catch (RuntimeException e) {
                if (attempt == 3 || !causedByBind(e)) throw e;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) return true;
        }
        return false;
    }

    /** Starts on a fresh PostgreSQL database (the test is skipped when there is no server; see {@link PostgresFixture}). */
    public static TestServer startOnPostgres(Map<Setting, String> overrides, Clock clock) {
        return start(null, overrides, clock, PostgresFixture.create());
    }

    /**
     * Another node of {@code first}'s cluster: a server of its own (own port, own temporary data directory, the
     * same master key) on the same database, seeded with nothing; closing it leaves the database to {@code first}.
     */
    public static TestServer node(TestServer first, Map<Setting, String> overrides, Clock clock) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.DB, first.postgres() != null ? first.postgres().url() : first.rotor.config().jdbcUrl());
        flags.putAll(overrides);
        return start(null, flags, clock, null, false);
    }

    /** Starts on the data directory {@code dir}, which outlives the server (for the CLI to work on afterwards). */
    public static TestServer startIn(Path dir) {
        return start(dir, Map.of(), Clock.systemUTC(), null);
    }

    /**
     * Starts on the database {@code overrides} names as it is, without adding the shared users and clients: for a
     * database that holds them already (one copied from another server's, say).
     */
    public static TestServer startUnseeded(Map<Setting, String> overrides) {
        return start(null, overrides, Clock.systemUTC(), null, false);
    }

    private static TestServer start(Path dir, Map<Setting, String> overrides, Clock clock, PostgresFixture postgres) {
        return start(dir, overrides, clock, postgres, true);
    }

    /** @param dir null for a temporary directory of its own, removed on close */
    private static TestServer start(Path dir, Map<Setting, String> overrides, Clock clock, PostgresFixture postgres, boolean seed) {
        return start(dir, overrides, clock, postgres, seed, OutboxDeliverer.Settings.DEFAULT);
    }

    private static TestServer start(Path dir, Map<Setting, String> overrides, Clock clock, PostgresFixture postgres, boolean seed,
                                    OutboxDeliverer.Settings logout) {
        Rotor rotor = null;
        boolean started = false;
        try {
            boolean ownsDir = dir == null;
            Path dataDir = ownsDir ? Files.createTempDirectory("rotor-test") : dir;
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.PORT, "0");
            flags.put(Setting.DATA_DIR, dataDir.toString());
            flags.put(Setting.ISSUER, "http://localhost:8080");
            flags.put(Setting.COOKIE_SECURE, "true");
            if (postgres != null) flags.put(Setting.DB, postgres.url());
            flags.putAll(overrides);
            RotorConfig config = RotorConfig.load(flags, Map.of(), null);
            rotor = Rotor.open(config, clock, MASTER_KEY).withLogoutDelivery(logout);
            int port = rotor.start();
            TestServer server = new TestServer(dataDir, ownsDir, rotor, port, postgres);
            if (seed) server.seed();
            started = true;
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (!started) {
                if (rotor != null) rotor.close();
                if (postgres != null) postgres.close();
            }
        }
    }

    public static TestServer start() {
        return start(Map.of());
    }

    private void seed() {
        rotor.accounts().register("alice", "alice@example.test", "Alice", PASSWORD);
        rotor.accounts().register("bob", "bob@example.test", "Bob", PASSWORD);
        addClient("spa", Client.Type.PUBLIC, null, Set.of("refresh_token"), Set.of(SPA_ORIGIN), false);
        addClient("native", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of(), true);
        addClient("other-native", Client.Type.PUBLIC, null, Set.of("password", "refresh_token"), Set.of(), true);
        addClient("backend", Client.Type.CONFIDENTIAL, CONFIDENTIAL_SECRET, Set.of("client_credentials", "refresh_token", "password"), Set.of(), true);
        addClient("third-party", Client.Type.PUBLIC, null, Set.of("refresh_token"), Set.of("https://other.example.test"), false);
    }

    public void addClient(String id, Client.Type type, String secret, Set<String> grants, Set<String> origins, boolean firstParty) {
        addClient(id, type, secret, grants, origins, firstParty, Set.of());
    }

    public void addClient(String id, Client.Type type, String secret, Set<String> grants, Set<String> origins, boolean firstParty,
                          Set<String> claims) {
        rotor.clientStore().add(new Client(id, type, secret == null ? null : ClientRegistry.hashSecret(secret), List.of(),
                new LinkedHashSet<>(grants), origins, firstParty, "openid profile email offline_access", Instant.now(), claims));
    }

    public Rotor rotor() {
        return rotor;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST a form to the token endpoint. */
    public HttpResponse<String> token(String form) {
        return send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Signs alice in through the native client's password grant; returns the parsed JSON. */
    public Map<String, Object> passwordLogin(String clientId) {
        HttpResponse<String> r = token("grant_type=password&username=alice&password=" + PASSWORD.replace(" ", "+") + "&client_id=" + clientId);
        if (r.statusCode() != 200) throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
        return Jsons.parse(r.body());
    }

    /** The PostgreSQL database this server runs on, or null (SQLite). */
    public PostgresFixture postgres() {
        return postgres;
    }

    public Path dataDir() {
        return dir;
    }

    @Override
    public void close() {
        rotor.close();
        if (postgres != null) postgres.close();
        if (!ownsDir) return;
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory
        }
    }
}
