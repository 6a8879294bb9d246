package dev.rotor.store;

import dev.rotor.oauth.authorize.ConsentStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link ConsentStore} on the SQL database. */
public final class JdbcConsentStore implements ConsentStore {
    private final Database db;

    public JdbcConsentStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Consent> find(String userId, String clientId) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT user_id, client_id, scope, granted_at FROM consents WHERE user_id = ? AND client_id = ?");
            Rows.bind(ps, userId, clientId);
            return Rows.one(ps, JdbcConsentStore::map);
        }));
    }

    @Override
    public void save(Consent c) {
        db.write(tx -> tx.update("INSERT INTO consents (user_id, client_id, scope, granted_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (user_id, client_id) DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
                c.userId(), c.clientId(), c.scope(), c.grantedAt()));
    }

    @Override
    public List<Consent> list(String userId) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT user_id, client_id, scope, granted_at FROM consents WHERE user_id = ? ORDER BY client_id");
            Rows.bind(ps, userId);
            return Rows.list(ps, JdbcConsentStore::map);
        });
    }

    @Override
    public boolean delete(String userId, String clientId) {
        return db.write(tx -> tx.update("DELETE FROM consents WHERE user_id = ? AND client_id = ?", userId, clientId)) == 1;
    }

    private static Consent map(ResultSet rs) throws SQLException {
        return new Consent(rs.getString(1), rs.getString(2), rs.getString(3), Rows.instant(rs, 4));
    }
}
