package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@link DatabaseCopy} between a real SQLite file and a fresh PostgreSQL database: every value of every table
 * arrives as it was, a target holding any row is refused untouched, and a failure leaves the target without rows.
 */
class DatabaseCopyIT {
    /** One row per table, valid on both databases (the session's parents are not there: see {@link #oneRowIn}). */
    private static final Map<String, String> ONE_ROW = new LinkedHashMap<>();

    static {
        ONE_ROW.put("users", "INSERT INTO users (id, username, created_at) VALUES ('u-other', 'other', 1)");
        ONE_ROW.put("clients", "INSERT INTO clients (id, type, redirect_uris, grants, origins, scope, created_at) "
                + "VALUES ('c-other', 'public', '', 'refresh_token', '', 'openid', 1)");
        ONE_ROW.put("sessions", "INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, generation) "
                + "VALUES ('s-other', 'u-other', 'c-other', 'openid', 1, 2, 1, 1, 'pwd', '1', 0)");
        ONE_ROW.put("refresh_token_uses", "INSERT INTO refresh_token_uses (session_id, generation, used_at, changed) VALUES ('s-other', 0, 1, 0)");
        ONE_ROW.put("refresh_tokens", "INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES ('h-other', 's-other', 0, 1)");
        ONE_ROW.put("sso_sessions", "INSERT INTO sso_sessions (id, secret_hash, user_id, auth_time, amr, acr, created_at, expires_at, last_seen_at) "
                + "VALUES ('sso-other', 'sh-other', 'u-other', 1, 'pwd', '1', 1, 2, 1)");
        ONE_ROW.put("sso_session_families", "INSERT INTO sso_session_families (sso_session_id, family_id, client_id, created_at) "
                + "VALUES ('sso-other', 's-other', 'c-other', 1)");
        ONE_ROW.put("authorization_codes", "INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, sso_session_id, auth_time, "
                + "amr, acr, created_at, expires_at) VALUES ('ch-other', 'c-other', 'u-other', 'https://a/cb', 'openid', 'sso-other', 1, 'pwd', '1', 1, 2)");
        ONE_ROW.put("consents", "INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES ('u-other', 'c-other', 'openid', 1)");
        ONE_ROW.put("risk_known", "INSERT INTO risk_known (user_id, kind, value, first_seen_at, last_seen_at) VALUES ('u-other', 'device', 'd-other', 1, 1)");
        ONE_ROW.put("risk_last_sign_ins", "INSERT INTO risk_last_sign_ins (user_id, at) VALUES ('u-other', 1)");
        ONE_ROW.put("logout_deliveries", "INSERT INTO logout_deliveries (id, client_id, uri, subject, sid, attempts, next_attempt_at, created_at) "
                + "VALUES ('d-other', 'c-other', 'https://a/bcl', 'u-other', 'sso-other', 0, 1, 1)");
        ONE_ROW.put("mfa_totp", "INSERT INTO mfa_totp (user_id, secret_sealed, created_at) VALUES ('u-other', '\\x00', 1)");
        ONE_ROW.put("mfa_recovery_codes", "INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) VALUES ('u-other', 'rh-other', 1)");
        ONE_ROW.put("signing_keys", "INSERT INTO signing_keys (kid, alg, state, public_jwk, created_at) VALUES ('k-other', 'ES256', 'retired', '{}', 1)");
        ONE_ROW.put("server_secrets", "INSERT INTO server_secrets (name, sealed, created_at) VALUES ('other', '\\x00', 1)");
        ONE_ROW.put("audit_events", "INSERT INTO audit_events (at, type, detail) VALUES (1, 'other', '{}')");
        ONE_ROW.put("notice_deliveries", "INSERT INTO notice_deliveries (id, audit_id, attempts, next_attempt_at, created_at) VALUES ('n-other', 1, 0, 1, 1)");
    }

    static final List<String> TABLES = DatabaseCopy.TABLES;

    @TempDir
    Path dir;

    private SqliteDatabase source;
    private PostgresFixture pg;
    private PostgresDatabase target;

    @BeforeEach
    void open() {
        pg = PostgresFixture.create();
        target = pg.open();
        source = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
    }

    @AfterEach
    void close() {
        if (source != null) source.close();
        if (pg != null) pg.close();
    }

    @Test
    void everyValueOfEveryTableArrivesAsItWasAndNewAuditIdsComeAfterTheOldOnes() throws SQLException {
        Instant now = Instant.ofEpochMilli(1_780_000_000_123L);
        source.write(tx -> {
            tx.update("INSERT INTO users (id, username, email, name, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "u1", "alice", "alice@example.test", "Zoë 🚀 \\ '\"", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", 0, now);
            tx.update("INSERT INTO users (id, username, created_at, disabled) VALUES ('u2', 'bob', 5, 1)");
            tx.update("INSERT INTO clients (id, type, secret_hash, redirect_uris, grants, origins, first_party, scope, created_at, claims) "
                    + "VALUES ('native', 'confidential', 'sha-hash', 'https://a.example/cb', 'password refresh_token', '', 1, 'openid email', ?, 'email name')", now);
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, created_ip, "
                    + "created_user_agent, last_ip, last_user_agent, generation, rotated_at, legacy_hash, channel, revoked_at, revoke_reason) "
                    + "VALUES ('s1', 'u1', 'native', 'openid', ?, ?, ?, ?, 'pwd otp', '2', '192.0.2.1', 'app/1', '2001:db8::1', 'app/2', 7, ?, NULL, "
                    + "'token_endpoint', NULL, NULL)", now, now.plusSeconds(604800), now, now, now);
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, generation, "
                    + "legacy_hash, channel, revoked_at, revoke_reason) VALUES ('s2', 'u2', 'native', 'openid', 1, 2, 1, 1, 'pwd', '1', 3, 'legacy', "
                    + "'cookie', 9, 'reuse')");
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, generation) "
                    + "VALUES ('s3', 'u1', 'native', 'openid', 1, 2, 1, 1, 'pwd', '1', 0)");
            for (int g = 0; g < 7; g++) {
                tx.update("INSERT INTO refresh_token_uses (session_id, generation, used_at, ip, user_agent, changed) VALUES ('s1', ?, ?, ?, ?, ?)",
                        g, now.plusSeconds(g), g == 3 ? null : "192.0.2." + g, "app/1", g % 2);
            }
            tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_ip, created_user_agent, predecessor_hash) "
                    + "VALUES ('h0', 's2', 2, 1, NULL, NULL, NULL), ('h1', 's2', 3, 2, '192.0.2.9', 'old/1', 'h0')");
            byte[] everyByte = new byte[256];
            for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
            tx.update("INSERT INTO signing_keys (kid, alg, state, public_jwk, private_sealed, created_at, activated_at, retire_at) "
                    + "VALUES ('k1', 'ES256', 'active', '{\"kty\":\"EC\"}', ?, 1, 2, NULL)", (Object) everyByte);
            tx.update("INSERT INTO signing_keys (kid, alg, state, public_jwk, private_sealed, created_at, activated_at, retire_at) "
                    + "VALUES ('k0', 'RS256', 'retired', '{}', NULL, 0, 1, 3)");
            tx.update("INSERT INTO server_secrets (name, sealed, created_at) VALUES ('refresh_token_mac', ?, 4)", (Object) new byte[] {0, 1, -1, 127});
            tx.update("INSERT INTO logout_deliveries (id, client_id, uri, subject, sid, attempts, next_attempt_at, lease_until, last_status, created_at) "
                    + "VALUES ('d1', 'native', 'https://rp.example/bcl', 'u1', NULL, 3, 9, 8, 503, 1)");
            tx.update("INSERT INTO notice_deliveries (id, audit_id, attempts, next_attempt_at, lease_until, last_status, created_at) "
                    + "VALUES ('n1', 1, 2, 9, 8, NULL, 1), ('n2', 7, 0, 3, NULL, 429, 2)");
            tx.update("INSERT INTO mfa_totp (user_id, secret_sealed, created_at, confirmed_at, last_step, failures, failed_at) "
                    + "VALUES ('u1', ?, 1, 2, 59333333, 3, 4), ('u2', X'00ff', 5, NULL, NULL, 0, NULL)", (Object) everyByte);
            tx.update("INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at, used_at) VALUES ('u1', 'rh0', 2, NULL), ('u1', 'rh1', 2, 3)");
            tx.update("INSERT INTO risk_known (user_id, kind, value, first_seen_at, last_seen_at) VALUES ('u1', 'device', 'dev-hash', 1, ?), "
                    + "('u1', 'network', '2001:db8:1:0:0:0:0:0/48', 2, 3), ('u1', 'network', 'AS64500', 2, 3), ('u2', 'country', 'PT', 4, 5)", now);
            tx.update("INSERT INTO risk_last_sign_ins (user_id, at, country, city, latitude_e6, longitude_e6) VALUES "
                    + "('u1', ?, 'PT', 'Lisboa ã', 38716667, -9139444), ('u2', 5, NULL, NULL, NULL, NULL)", now);
            return null;
        });
        // More audit events than two batches, then the newest few deleted by hand: their ids are used all the same.
        JdbcAuditLog sourceAudit = new JdbcAuditLog(source);
        int events = 2 * DatabaseCopy.BATCH + 11;
        source.write(tx -> {
            for (int i = 0; i < events; i++) {
                JdbcAuditLog.insert(tx, AuditEvent.of(now.plusMillis(i), "login.failed", i % 2 == 0 ? null : "u1", null, "native",
                        new RequestInfo("192.0.2.4", i % 3 == 0 ? null : "agent/" + i), Map.of("username", "user" + i)));
            }
            return null;
        });
        source.write(tx -> tx.update("DELETE FROM audit_events WHERE id > ?", events - 10));
        Map<String, List<String>> before = dump(sqlite());

        DatabaseCopy.Outcome outcome = DatabaseCopy.copy(source, target);

        Map<String, Long> expected = new LinkedHashMap<>();
        for (String table : TABLES) expected.put(table, (long) before.get(table).size());
        assertThat(outcome).isEqualTo(new DatabaseCopy.Outcome.Copied(expected));
        assertThat(expected).containsEntry("audit_events", (long) events - 10).containsEntry("refresh_token_uses", 7L);
        assertThat(dump(pg.connect())).isEqualTo(before);
        assertThat(dump(sqlite())).as("the source is only read").isEqualTo(before);

        new JdbcAuditLog(target).record(AuditEvent.of(now, "after.move", null, null, null, RequestInfo.NONE, Map.of()));
        assertThat(new JdbcAuditLog(target).tail(1).getFirst().id()).as("past every id the source used, deleted ones included")
                .isEqualTo(events + 1);
        assertThat(sourceAudit.tail(1).getFirst().id()).isEqualTo(events - 10);
    }

    @ParameterizedTest(name = "a row in {0}")
    @FieldSource("TABLES")
    void aTargetHoldingARowInAnyTableIsRefusedAndLeftAsItWas(String table) throws SQLException {
        seedSource();
        oneRowIn(table);
        Map<String, List<String>> before = dump(pg.connect());

        DatabaseCopy.Outcome outcome = DatabaseCopy.copy(source, target);

        assertThat(outcome).isEqualTo(new DatabaseCopy.Outcome.TargetNotEmpty(List.of(table)));
        assertThat(dump(pg.connect())).isEqualTo(before);
        assertThat(before.get(table)).hasSize(1);
    }

    @Test
    void aValuePostgresqlRefusesFailsTheWholeCopyNamingTheTableButNoValue() throws SQLException {
        seedSource();
        // SQLite's INTEGER is 64 bits, PostgreSQL's 32: the server refuses this row of refresh_tokens, the fifth table copied.
        source.write(tx -> tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_user_agent) "
                + "VALUES ('hash-never-shown', 's1', ?, 1, 'agent-never-shown')", 1L << 40));

        assertThatThrownBy(() -> DatabaseCopy.copy(source, target))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("copying refresh_tokens (rows 1-")
                .hasMessageContaining("out of range")
                .satisfies(e -> {
                    // PgJDBC's own exception quotes the statement with its values: it is not kept as a cause either.
                    for (Throwable t = e; t != null; t = t.getCause()) assertThat(String.valueOf(t.getMessage())).doesNotContain("never-shown", "'s1'");
                });
        assertThat(dump(pg.connect()).values()).as("users, clients, sessions and uses were inserted before it, and rolled back")
                .allMatch(List::isEmpty);
    }

    @Test
    void aTableTheCopyDoesNotKnowStopsItBeforeAnyRow() throws SQLException {
        seedSource();
        source.write(tx -> tx.update("CREATE TABLE webauthn_credentials (id TEXT PRIMARY KEY)"));

        assertThatThrownBy(() -> DatabaseCopy.copy(source, target)).isInstanceOf(StoreException.class).hasMessageContaining("webauthn_credentials");
        assertThat(dump(pg.connect()).values()).allMatch(List::isEmpty);
    }

    @Test
    void theSourceIsReadFromOneSnapshotWhileItIsWritten() throws SQLException {
        seedSource();
        List<Long> seen = source.readSnapshot(tx -> {
            List<Long> counts = new ArrayList<>();
            counts.add(count(tx, "users"));
            source.write(w -> w.update("INSERT INTO users (id, username, created_at) VALUES ('u-late', 'late', 1)"));
            counts.add(count(tx, "users"));
            return counts;
        });

        assertThat(seen).containsExactly(1L, 1L);
        long after = source.read(tx -> count(tx, "users"));
        assertThat(after).isEqualTo(2L);
    }

    /** A user, a client and a session with a token, a use and a key, in the source. */
    private void seedSource() {
        source.write(tx -> {
            tx.update("INSERT INTO users (id, username, created_at) VALUES ('u1', 'alice', 1)");
            tx.update("INSERT INTO clients (id, type, redirect_uris, grants, origins, scope, created_at) VALUES ('native', 'public', '', 'refresh_token', '', 'openid', 1)");
            tx.update("INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, generation) "
                    + "VALUES ('s1', 'u1', 'native', 'openid', 1, 2, 1, 1, 'pwd', '1', 2)");
            tx.update("INSERT INTO refresh_token_uses (session_id, generation, used_at, changed) VALUES ('s1', 1, 1, 0)");
            tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES ('h1', 's1', 2, 1)");
            tx.update("INSERT INTO signing_keys (kid, alg, state, public_jwk, private_sealed, created_at) VALUES ('k1', 'ES256', 'active', '{}', X'01', 1)");
            tx.update("INSERT INTO server_secrets (name, sealed, created_at) VALUES ('refresh_token_mac', X'02', 1)");
            tx.update("INSERT INTO audit_events (at, type, detail) VALUES (1, 'login', '{}')");
            return null;
        });
    }

    /** One row in {@code table} of the target and nowhere else (a session without its user and client: no foreign key check). */
    private void oneRowIn(String table) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            s.execute(ONE_ROW.get(table));
        }
    }

    private static long count(Tx tx, String table) throws SQLException {
        try (ResultSet rs = tx.prepare("SELECT count(*) FROM " + table).executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection sqlite() throws SQLException {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("rotor.db"));
    }

    /** Every table's rows, each as its columns by name with their values (integers as integers, bytes in hex), sorted. */
    private static Map<String, List<String>> dump(Connection connection) throws SQLException {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        try (Connection c = connection) {
            for (String table : TABLES) {
                List<String> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TreeMap<String, String> row = new TreeMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            row.put(rs.getMetaData().getColumnName(i), switch (v) {
                                case null -> "null";
                                case Integer n -> "int " + n;
                                case Long n -> "int " + n;
                                case byte[] b -> "bytes " + HexFormat.of().formatHex(b);
                                case String s -> "text " + s;
                                default -> "unexpected " + v.getClass();
                            });
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put(table, rows);
            }
        }
        return tables;
    }
}
