package dev.rotor.cli;

import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.rotor.app.Rotor;
import dev.rotor.audit.RequestInfo;
import dev.rotor.config.DatabaseConfig;
import dev.rotor.config.Setting;
import dev.rotor.crypto.Digests;
import dev.rotor.mfa.Totp;
import dev.rotor.mfa.TotpEnrolment;
import dev.rotor.signin.SecondFactors.Proof;
import dev.rotor.store.DatabaseCopy;
import dev.rotor.store.PostgresFixture;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code rotor db copy}: an SQLite deployment that has been serving moves to PostgreSQL, in a JVM of its own as an
 * operator runs it, and a server started on PostgreSQL carries on with its sessions, keys, users and audit trail.
 * What it refuses runs in-process (the same command line and exit codes, without a JVM per case).
 */
class DbCopyIT {
    /** Never printed, whatever the command says about the URL it was given. */
    private static final String DB_PASSWORD = "pg-password-" + UUID.randomUUID();
    private static final String ISSUER = "http://localhost:8080";

    @TempDir
    Path dir;

    private PostgresFixture pg;

    @BeforeEach
    void database() {
        pg = PostgresFixture.create();
    }

    @AfterEach
    void drop() {
        if (pg != null) pg.close();
    }

    record Run(int exit, String out, String err) {}

    /**
     * A single sign-on session of alice's, with a family it started, a code, a consent, a back-channel logout and a
     * security notice still to send, and her risk history: rows the copy must carry.
     */
    private static void singleSignOnRows(Connection c) throws java.sql.SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            String user = "(SELECT id FROM users WHERE username = 'alice')";
            s.execute("INSERT INTO sso_sessions (id, secret_hash, user_id, auth_time, amr, acr, created_at, expires_at, last_seen_at) "
                    + "SELECT 'sso-1', 'secret-hash-1', " + user + ", 1, 'pwd', '1', 1, 4102444800000, 1");
            s.execute("INSERT INTO sso_session_families (sso_session_id, family_id, client_id, created_at) SELECT 'sso-1', id, client_id, 1 "
                    + "FROM sessions LIMIT 1");
            s.execute("INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, sso_session_id, auth_time, amr, acr, "
                    + "created_at, expires_at) SELECT 'code-hash-1', 'native', " + user + ", 'https://app.example.test/cb', 'openid', 'sso-1', 1, "
                    + "'pwd', '1', 1, 2");
            s.execute("INSERT INTO consents (user_id, client_id, scope, granted_at) SELECT " + user + ", 'third-party', 'openid', 1");
            s.execute("INSERT INTO logout_deliveries (id, client_id, uri, subject, sid, attempts, next_attempt_at, created_at) SELECT "
                    + "'delivery-1', 'third-party', 'https://rp.example.test/backchannel', " + user + ", 'sso-1', 2, 4102444800000, 1");
            s.execute("INSERT INTO risk_known (user_id, kind, value, first_seen_at, last_seen_at) SELECT " + user + ", 'network', '203.0.113.0/24', 1, 2");
            // A security notice still to send (the server sends its own at once): its audit event is the newest one.
            s.execute("INSERT INTO notice_deliveries (id, audit_id, attempts, next_attempt_at, created_at) SELECT 'notice-1', MAX(id), 1, "
                    + "4102444800000, 1 FROM audit_events");
            // Replaces the row her sign-in above recorded.
            s.execute("INSERT OR REPLACE INTO risk_last_sign_ins (user_id, at, country, city, latitude_e6, longitude_e6) SELECT " + user
                    + ", 2, 'DE', 'Berlin', 52520000, 13405000");
        }
    }

    @Test
    void aSqliteDeploymentMovesToPostgresqlAndItsSessionsKeysUsersAndAuditTrailCarryOn() throws Exception {
        Path data = dir.resolve("data");
        String older;
        String current;
        String accessToken;
        String legacy;
        Set<String> kids;
        byte[] totpKey;
        List<String> recoveryCodes;
        try (TestServer sqlite = TestServer.startIn(data)) {
            Map<String, Object> last = sqlite.passwordLogin("native");
            older = (String) last.get("refresh_token");
            String token = older;
            for (int i = 0; i < 3; i++) {
                last = refreshed(sqlite, token);
                token = (String) last.get("refresh_token");
            }
            current = token;
            accessToken = (String) last.get("access_token");
            legacy = legacyFamily(sqlite.rotor());
            kids = kids(sqlite);
            // Her TOTP, sealed under the master key, with its recovery codes.
            String alice = sqlite.rotor().users().findByUsername("alice").orElseThrow().id();
            TotpEnrolment enrolment = sqlite.rotor().totpFactors().enroll(alice, Instant.now(), RequestInfo.NONE);
            totpKey = new Base32().decode(enrolment.secret());
            recoveryCodes = sqlite.rotor().totpFactors().confirm(alice, Totp.USERS.code(totpKey, Totp.USERS.step(Instant.now())), Instant.now(),
                    RequestInfo.NONE).codes();
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> events;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rotor.db"))) {
            singleSignOnRows(c);
            for (String table : DatabaseCopy.TABLES) rows.put(table, count(c, table));
            events = auditRows(c);
        }
        assertThat(rows.values()).as("something in every table").allMatch(n -> n > 0);
        String target = jdbcUrlWithPassword();

        Run copy = rotor(data, "db", "copy", "--to", target);

        assertThat(copy.exit()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("copied the database to " + target.replace(DB_PASSWORD, "***"));
        for (Map.Entry<String, Long> table : rows.entrySet()) {
            assertThat(copy.out()).containsPattern("(?m)^  " + table.getKey() + " +" + table.getValue() + "$");
        }
        assertThat(copy.out() + copy.err()).doesNotContain(DB_PASSWORD);

        try (TestServer moved = TestServer.startUnseeded(Map.of(Setting.DB, pg.url()))) {
            assertThat(kids(moved)).as("the same keys are published").isEqualTo(kids);
            assertThat(verified(moved, accessToken).getSubject()).as("an access token issued before the move verifies")
                    .isEqualTo(moved.rotor().users().findByUsername("alice").orElseThrow().id());

            Map<String, Object> next = refreshed(moved, current);
            assertThat(SignedJWT.parse((String) next.get("access_token")).getHeader().getKeyID()).as("signed with a copied key").isIn(kids);
            refreshed(moved, legacy);
            assertOAuthError(refresh(moved, older), 400, "invalid_grant");
            assertOAuthError(refresh(moved, (String) next.get("refresh_token")), 400, "invalid_grant");
            assertThat(moved.token("grant_type=password&username=alice&password=" + TestServer.PASSWORD.replace(" ", "+") + "&client_id=native")
                    .statusCode()).as("alice's TOTP came along: her password alone now asks for a code").isEqualTo(403);
            String alice = moved.rotor().users().findByUsername("alice").orElseThrow().id();
            assertThat(moved.rotor().totpFactors().verify(alice, new Proof.Otp(Totp.USERS.code(totpKey, Totp.USERS.step(Instant.now()) + 1)),
                    RequestInfo.NONE)).as("the TOTP secret opens on PostgreSQL under the same master key").isTrue();
            assertThat(moved.rotor().totpFactors().verify(alice, new Proof.RecoveryCode(recoveryCodes.getFirst()), RequestInfo.NONE)).isTrue();

            List<String> after;
            try (Connection c = pg.connect()) {
                after = auditRows(c);
            }
            assertThat(after.subList(0, events.size())).as("every event, with its id, in order").isEqualTo(events);
            assertThat(after.subList(events.size(), after.size())).as("new events, after the old ids")
                    .anySatisfy(e -> assertThat(e).contains("refresh_token.reuse_detected"))
                    .allSatisfy(e -> assertThat(id(e)).isGreaterThan(id(events.getLast())));
        }

        Map<String, List<String>> before = dump();
        Run again = rotor(data, "db", "copy", "--to", target);

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("is not empty (rows in " + String.join(", ", DatabaseCopy.TABLES) + ")", "wrote nothing");
        assertThat(again.out() + again.err()).doesNotContain(DB_PASSWORD);
        assertThat(dump()).isEqualTo(before);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a URL naming no database", List.of("--to", "postgresql://postgres:" + DB_PASSWORD + "@127.0.0.1:5432/"), 2,
                        "must name one database"),
                Arguments.of("a jdbc:postgresql: URL without a host", List.of("--to", "jdbc:postgresql:rotor?password=" + DB_PASSWORD), 2,
                        "jdbc:postgresql://host"),
                Arguments.of("an SQLite URL", List.of("--to", "jdbc:sqlite:DIR/other.db"), 2, "not a PostgreSQL database"),
                Arguments.of("a file", List.of("--to", "DIR/rotor.db"), 2, "not a PostgreSQL database"),
                Arguments.of("no target", List.of(), 2, "Missing required option: '--to=URL'"),
                Arguments.of("the configured database itself", List.of("--db", "PG", "--to", "PG"), 2, "names the configured database itself"),
                Arguments.of("a source that is not SQLite", List.of("--db", "PG", "--to", "OTHER_PG"), 2, "moves an SQLite database to PostgreSQL"),
                Arguments.of("a server that does not answer", List.of("--to", "postgresql://postgres:" + DB_PASSWORD + "@127.0.0.1:1/rotor"), 1,
                        "no row was committed to the target: cannot open database postgresql://postgres:***@127.0.0.1:1/rotor (--to)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(String what, List<String> args, int exit, String because) {
        List<String> line = new ArrayList<>(List.of("db", "copy", "--data-dir", dir.resolve("data").toString()));
        String other = pg.url().substring(0, pg.url().lastIndexOf('/') + 1) + "rotor_never_created";
        for (String a : args) line.add(a.replace("DIR", dir.toString()).replace("OTHER_PG", other).replace("PG", pg.url()));

        Run r = inProcess(line);

        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err()).startsWith("rotor: ").contains(because);
        assertThat(r.out() + r.err()).doesNotContain(DB_PASSWORD);
    }

    /** The fixture's database as a jdbc:postgresql: URL with the user and a password as parameters (trust auth ignores it). */
    private String jdbcUrlWithPassword() {
        DatabaseConfig config = pg.config(1);
        String user = config.user() == null ? "" : "user=" + config.user() + "&";
        String password = config.password() == null ? DB_PASSWORD : config.password();
        return config.jdbcUrl() + "?" + user + "password=" + password;
    }

    /** A session of the token format before families were named in the token: known by the token's hash only. */
    private static String legacyFamily(Rotor rotor) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        String alice = rotor.users().findByUsername("alice").orElseThrow().id();
        long now = Instant.now().toEpochMilli();
        String family = UUID.randomUUID().toString();
        rotor.database().write(tx -> {
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, generation, "
                    + "legacy_hash) VALUES (?, ?, 'native', 'openid', ?, ?, ?, ?, 'pwd', '1', 1, ?)", family, alice, now, now + 86_400_000, now, now,
                    Digests.sha256(token));
            return tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES (?, ?, 1, ?)", Digests.sha256(token), family, now);
        });
        return token;
    }

    private static Map<String, Object> refreshed(TestServer server, String token) {
        HttpResponse<String> r = refresh(server, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body());
    }

    private static HttpResponse<String> refresh(TestServer server, String token) {
        return server.token("grant_type=refresh_token&client_id=native&refresh_token=" + token);
    }

    private static Set<String> kids(TestServer server) throws Exception {
        return JWKSet.parse(server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks"))).body()).getKeys().stream().map(JWK::getKeyID)
                .collect(Collectors.toSet());
    }

    /** As a resource server checks it: key by kid from this server's JWKS, typ at+jwt, issuer and time. */
    private static JWTClaimsSet verified(TestServer server, String accessToken) throws Exception {
        JWKSet jwks = JWKSet.parse(server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks"))).body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(ISSUER, new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp")));
        return processor.process(accessToken, null);
    }

    private static List<String> auditRows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, at, type, user_id, session_id, client_id, ip, user_agent, detail FROM audit_events ORDER BY id")) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 9; i++) row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static long id(String auditRow) {
        return Long.parseLong(auditRow.substring(0, auditRow.indexOf(' ')));
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of the target, table by table. */
    private Map<String, List<String>> dump() throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String table : DatabaseCopy.TABLES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
                    while (rs.next()) rows.add(rs.getString(1));
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    /** {@code rotor args...} in a JVM of its own, as the launcher runs it, on {@code data} with the test servers' master key. */
    private Run rotor(Path data, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.rotor.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ROTOR_"));
        pb.environment().put("ROTOR_DATA_DIR", data.toString());
        pb.environment().put("ROTOR_MASTER_KEY", TestServer.MASTER_KEY);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rotor " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Run inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = RotorCommand.commandLine(config -> Rotor.open(config, Clock.systemUTC(), TestServer.MASTER_KEY))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
