package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What belongs to a client in a real database, for {@link ClientStoreContract}: a user's session (a refresh-token
 * family with its first token, made by the production {@link Sessions} on {@link JdbcRefreshTokenStore}), an
 * authorization code and the user's consent.
 */
final class ClientBelongings {
    private static final Duration TTL = Duration.ofDays(7);
    /** Rows that name the client, directly or through its sessions. */
    private static final List<String> COUNTS = List.of(
            "SELECT count(*) FROM sessions WHERE client_id = ?",
            "SELECT count(*) FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE client_id = ?)",
            "SELECT count(*) FROM authorization_codes WHERE client_id = ?",
            "SELECT count(*) FROM consents WHERE client_id = ?");

    private final Database db;
    private int users;

    ClientBelongings(Database db) {
        this.db = db;
    }

    /** A new user's session of {@code clientId} ending at {@code expiresAt} (revoked when asked), a code and a consent. */
    void givenSession(String clientId, Instant expiresAt, boolean revoked) {
        Instant created = expiresAt.minus(TTL);
        String userId = "user-" + clientId + "-" + ++users;
        new JdbcUserStore(db).add(new User(userId, userId, null, null, null, false, created));
        Sessions sessions = new Sessions(new JdbcRefreshTokenStore(db), new RefreshTokenCodec(new byte[32]), Clock.fixed(created, ZoneOffset.UTC),
                TTL, TTL, Duration.ZERO);
        Sessions.Started started = sessions.start(userId, clientId, "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                RequestInfo.NONE);
        if (revoked) sessions.revoke(started.family(), "test", RequestInfo.NONE);
        db.write(tx -> {
            tx.update("INSERT INTO authorization_codes (hash, client_id, user_id, redirect_uri, scope, sso_session_id, auth_time, amr, acr, "
                    + "created_at, expires_at) VALUES (?, ?, ?, 'https://app.example.test/cb', 'openid', 'sso-1', ?, 'pwd', '1', ?, ?)",
                    "code-" + userId, clientId, userId, created, created, expiresAt);
            return tx.update("INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, 'openid', ?)", userId, clientId, created);
        });
    }

    /** Sessions, refresh tokens, codes and consents of {@code clientId}. */
    long count(String clientId) {
        return db.read(tx -> {
            long n = 0;
            for (String sql : COUNTS) {
                var ps = tx.prepare(sql); // the transaction closes its statements
                ps.setString(1, clientId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
            return n;
        });
    }
}
