package dev.rotor.store;

import dev.rotor.oauth.authorize.AuthorizationCode;
import dev.rotor.oauth.authorize.AuthorizationCodeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link AuthorizationCodeStore} on the SQL database. */
public final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {
    private static final String COLUMNS = "client_id, user_id, redirect_uri, scope, code_challenge, nonce, sso_session_id, auth_time, amr, acr,"
            + " created_at, expires_at, redeemed_at, family_id";
    private final Database db;

    public JdbcAuthorizationCodeStore(Database db) {
        this.db = db;
    }

    @Override
    public void create(String hash, AuthorizationCode c) {
        db.write(tx -> tx.update("INSERT INTO authorization_codes (hash, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                hash, c.clientId(), c.userId(), c.redirectUri(), c.scope(), c.codeChallenge(), c.nonce(), c.ssoSessionId(), c.authTime(),
                Rows.join(c.amr()), c.acr(), c.createdAt(), c.expiresAt(), c.redeemedAt(), c.familyId()));
    }

    @Override
    public Optional<AuthorizationCode> find(String hash) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM authorization_codes WHERE hash = ?");
            Rows.bind(ps, hash);
            return Rows.one(ps, JdbcAuthorizationCodeStore::map);
        }));
    }

    @Override
    public boolean redeem(String hash, Instant now) {
        // The condition decides between concurrent redemptions on any node: one update changes the row.
        return db.write(tx -> tx.update("UPDATE authorization_codes SET redeemed_at = ? WHERE hash = ? AND redeemed_at IS NULL", now, hash)) == 1;
    }

    @Override
    public void recordFamily(String hash, String familyId) {
        db.write(tx -> tx.update("UPDATE authorization_codes SET family_id = ? WHERE hash = ?", familyId, hash));
    }

    @Override
    public int deleteExpired(Instant before) {
        return db.write(tx -> tx.update("DELETE FROM authorization_codes WHERE expires_at < ?", before));
    }

    private static AuthorizationCode map(ResultSet rs) throws SQLException {
        return new AuthorizationCode(rs.getString("client_id"), rs.getString("user_id"), rs.getString("redirect_uri"), rs.getString("scope"),
                rs.getString("code_challenge"), rs.getString("nonce"), rs.getString("sso_session_id"), Rows.instant(rs, "auth_time"),
                Rows.words(rs.getString("amr")), rs.getString("acr"), Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
                Rows.instant(rs, "redeemed_at"), rs.getString("family_id"));
    }
}
