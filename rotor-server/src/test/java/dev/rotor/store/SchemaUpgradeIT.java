package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Digests;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RotationOutcome;
import dev.rotor.session.Sessions;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of the previous schema, with sessions whose tokens are of the old format, upgraded in place: the
 * tokens keep working until their family rotates, and the old rules' facts survive (used tokens are reuse).
 */
class SchemaUpgradeIT {
    @TempDir
    Path dir;

    @Test
    void familiesOfThePreviousSchemaKeepWorkingAfterTheUpgrade() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("rotor.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("2").load().migrate();
        Instant t0 = Instant.now().minus(Duration.ofHours(3));
        String g0 = oldToken();
        String g1 = oldToken();
        try (Connection c = DriverManager.getConnection(url)) {
            exec(c, "INSERT INTO users (id, username, created_at) VALUES ('u1', 'alice', ?)", t0.toEpochMilli());
            exec(c, "INSERT INTO clients (id, type, redirect_uris, grants, origins, scope, created_at) "
                    + "VALUES ('native', 'public', '', 'password refresh_token', '', 'openid', ?)", t0.toEpochMilli());
            exec(c, "INSERT INTO sessions (id, user_id, client_id, scope, created_at, expires_at, last_used_at, auth_time, amr, acr, "
                            + "created_ip, created_user_agent, last_ip, last_user_agent, generation, current_hash, rotated_at, grace_sealed, grace_until) "
                            + "VALUES ('7c1d6a44-3c8e-4e4b-a3a8-3f4c1d2e9b10', 'u1', 'native', 'openid', ?, ?, ?, ?, 'pwd', '1', "
                            + "'192.0.2.1', 'app/1', '192.0.2.2', 'app/1', 1, ?, ?, X'00', ?)",
                    t0.toEpochMilli(), t0.plus(Duration.ofDays(7)).toEpochMilli(), t0.plusSeconds(60).toEpochMilli(), t0.toEpochMilli(),
                    Digests.sha256(g1), t0.plusSeconds(60).toEpochMilli(), t0.plusSeconds(70).toEpochMilli());
            exec(c, "INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_ip, created_user_agent) "
                    + "VALUES (?, '7c1d6a44-3c8e-4e4b-a3a8-3f4c1d2e9b10', 0, ?, '192.0.2.1', 'app/1')", Digests.sha256(g0), t0.toEpochMilli());
            exec(c, "INSERT INTO refresh_tokens (hash, session_id, generation, created_at, created_ip, created_user_agent, predecessor_hash) "
                            + "VALUES (?, '7c1d6a44-3c8e-4e4b-a3a8-3f4c1d2e9b10', 1, ?, '192.0.2.2', 'app/1', ?)",
                    Digests.sha256(g1), t0.plusSeconds(60).toEpochMilli(), Digests.sha256(g0));
        }

        try (SqliteDatabase db = SqliteDatabase.open(url)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            JdbcRefreshTokenStore store = new JdbcRefreshTokenStore(db);
            Sessions sessions = new Sessions(store, new RefreshTokenCodec(key), Clock.systemUTC(), Duration.ofDays(7), Duration.ofDays(7),
                    Duration.ofHours(1));
            RequestInfo phone = new RequestInfo("198.51.100.4", "app/2");
            RefreshTokenFamily migrated = sessions.findByToken(g1).orElseThrow();
            assertThat(migrated.generation()).isEqualTo(1);
            assertThat(migrated.legacyHash()).isEqualTo(Digests.sha256(g1));
            assertThat(migrated.channel()).isNull();
            assertThat(store.findUse(migrated.id(), 0)).as("the old token's first use moved to the history").get()
                    .satisfies(u -> assertThat(u.ip()).isEqualTo("192.0.2.2"));

            RotationOutcome rotated = sessions.refresh(g1, "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, phone);
            assertThat(rotated).isInstanceOf(RotationOutcome.Rotated.class);
            String g2 = sessions.refreshToken(((RotationOutcome.Rotated) rotated).family());
            assertThat(g2).hasSize(RefreshTokenCodec.LENGTH);
            assertThat(sessions.refresh(g1, "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, phone))
                    .as("a retry of the old token gets the new one").isInstanceOf(RotationOutcome.Retried.class);

            assertThat(sessions.refresh(g0, "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, phone)).isInstanceOf(RotationOutcome.Reused.class);
            AuditEvent reuse = new JdbcAuditLog(db).tail(10).getLast();
            assertThat(reuse.type()).isEqualTo("refresh_token.reuse_detected");
            assertThat(reuse.detail()).containsEntry("first_use_ip", "192.0.2.2").containsEntry("generation", "0");
            assertThat(sessions.refresh(g2, "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, phone))
                    .isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.REVOKED));
        }
    }

    private static String oldToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void exec(Connection c, String sql, Object... params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.executeUpdate();
        }
    }
}
