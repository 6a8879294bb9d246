package dev.rotor.store;

import dev.rotor.risk.RiskHistory;
import dev.rotor.risk.RiskHistory.LastSignIn;
import dev.rotor.risk.RiskHistoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@link RiskHistoryStore} on the SQL database: tables {@code risk_known} and {@code risk_last_sign_ins}. */
public final class JdbcRiskHistoryStore implements RiskHistoryStore {
    private static final String DEVICE = "device";
    private static final String NETWORK = "network";
    private static final String COUNTRY = "country";
    private static final double E6 = 1_000_000.0;
    private final Database db;

    public JdbcRiskHistoryStore(Database db) {
        this.db = db;
    }

    @Override
    public RiskHistory find(String userId) {
        return db.read(tx -> {
            var known = tx.prepare("SELECT kind, value FROM risk_known WHERE user_id = ?");
            Rows.bind(known, userId);
            Set<String> devices = new HashSet<>();
            Set<String> networks = new HashSet<>();
            Set<String> countries = new HashSet<>();
            for (String[] row : Rows.list(known, rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                switch (row[0]) {
                    case DEVICE -> devices.add(row[1]);
                    case NETWORK -> networks.add(row[1]);
                    case COUNTRY -> countries.add(row[1]);
                    default -> { } // a kind a later version added: not ours to read
                }
            }
            var last = tx.prepare("SELECT at, country, city, latitude_e6, longitude_e6 FROM risk_last_sign_ins WHERE user_id = ?");
            Rows.bind(last, userId);
            return new RiskHistory(devices, networks, countries, Rows.one(last, JdbcRiskHistoryStore::last));
        });
    }

    @Override
    public void recordSignIn(String userId, String deviceHash, List<String> networks, String country, LastSignIn last, int keep) {
        db.write(tx -> {
            // First, so that it is the lock ordering concurrent sign-ins of one user (on PostgreSQL the upsert locks the
            // row even when the stored sign-in is newer and stays): otherwise two of them that each re-see a value and
            // trim the other's could wait on each other's rows and deadlock. The newer sign-in wins when two nodes
            // record out of order.
            tx.update("INSERT INTO risk_last_sign_ins (user_id, at, country, city, latitude_e6, longitude_e6) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (user_id) DO UPDATE SET at = excluded.at, country = excluded.country, city = excluded.city,"
                    + " latitude_e6 = excluded.latitude_e6, longitude_e6 = excluded.longitude_e6"
                    + " WHERE risk_last_sign_ins.at <= excluded.at",
                    userId, last.at(), last.country(), last.city(), e6(last.latitude()), e6(last.longitude()));
            if (deviceHash != null) see(tx, userId, DEVICE, deviceHash, last, keep);
            for (String network : networks) see(tx, userId, NETWORK, network, last, keep);
            if (country != null) see(tx, userId, COUNTRY, country, last, keep);
            return null;
        });
    }

    private static void see(Tx tx, String userId, String kind, String value, LastSignIn last, int keep) throws SQLException {
        tx.update("INSERT INTO risk_known (user_id, kind, value, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (user_id, kind, value) DO UPDATE SET last_seen_at = CASE WHEN excluded.last_seen_at > risk_known.last_seen_at"
                + " THEN excluded.last_seen_at ELSE risk_known.last_seen_at END",
                userId, kind, value, last.at(), last.at());
        // Bounded: keep the most recently seen `keep` of this kind (ties by value), delete the rest.
        tx.update("DELETE FROM risk_known WHERE user_id = ? AND kind = ? AND value NOT IN (SELECT value FROM risk_known"
                + " WHERE user_id = ? AND kind = ? ORDER BY last_seen_at DESC, value DESC LIMIT ?)", userId, kind, userId, kind, keep);
    }

    @Override
    public void forget(String userId) {
        db.write(tx -> {
            tx.update("DELETE FROM risk_known WHERE user_id = ?", userId);
            tx.update("DELETE FROM risk_last_sign_ins WHERE user_id = ?", userId);
            return null;
        });
    }

    private static LastSignIn last(ResultSet rs) throws SQLException {
        long lat = rs.getLong("latitude_e6");
        boolean noLat = rs.wasNull();
        long lon = rs.getLong("longitude_e6");
        boolean located = !noLat && !rs.wasNull();
        return new LastSignIn(Rows.instant(rs, "at"), rs.getString("country"), rs.getString("city"),
                located ? lat / E6 : null, located ? lon / E6 : null);
    }

    private static Long e6(Double degrees) {
        return degrees == null ? null : Math.round(degrees * E6);
    }
}
