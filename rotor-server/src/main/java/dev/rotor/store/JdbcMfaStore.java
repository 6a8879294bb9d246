package dev.rotor.store;

import dev.rotor.mfa.MfaStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link MfaStore} on the SQL database: every change is one conditional statement or one transaction. */
public final class JdbcMfaStore implements MfaStore {
    private final Database db;

    public JdbcMfaStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Enrolment> find(String userId) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT user_id, secret_sealed, created_at, confirmed_at, last_step, failures, failed_at"
                    + " FROM mfa_totp WHERE user_id = ?");
            Rows.bind(ps, userId);
            return Rows.one(ps, JdbcMfaStore::map);
        }));
    }

    @Override
    public boolean savePending(String userId, byte[] sealedSecret, Instant now) {
        // One statement on both databases: the row's own state decides, also against a concurrent confirmation.
        return db.write(tx -> tx.update("INSERT INTO mfa_totp (user_id, secret_sealed, created_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id) DO UPDATE SET secret_sealed = excluded.secret_sealed, created_at = excluded.created_at,"
                + " last_step = NULL, failures = 0, failed_at = NULL WHERE mfa_totp.confirmed_at IS NULL", userId, sealedSecret, now)) == 1;
    }

    @Override
    public boolean confirm(String userId, byte[] sealedSecret, long step, List<String> recoveryCodeHashes, Instant now) {
        return db.write(tx -> {
            if (tx.update("UPDATE mfa_totp SET confirmed_at = ?, last_step = ?, failures = 0, failed_at = NULL"
                    + " WHERE user_id = ? AND confirmed_at IS NULL AND secret_sealed = ?", now, step, userId, sealedSecret) != 1) {
                return false;
            }
            tx.update("DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
            for (String hash : recoveryCodeHashes) {
                tx.update("INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)", userId, hash, now);
            }
            return true;
        });
    }

    @Override
    public boolean acceptStep(String userId, long step) {
        // The compare-and-set of a step: of two nodes accepting the same code, one statement matches, the other none.
        return db.write(tx -> tx.update("UPDATE mfa_totp SET last_step = ?, failures = 0, failed_at = NULL"
                + " WHERE user_id = ? AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < ?)", step, userId, step)) == 1;
    }

    @Override
    public void recordFailure(String userId, Instant now) {
        db.write(tx -> tx.update("UPDATE mfa_totp SET failures = failures + 1, failed_at = ? WHERE user_id = ?", now, userId));
    }

    @Override
    public Spend spendRecoveryCode(String userId, String codeHash, Instant now) {
        return db.write(tx -> {
            if (tx.update("UPDATE mfa_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                    now, userId, codeHash) != 1) {
                // Lost: the row, if any, was used before this statement (a code is never unused again), so this read agrees.
                var ps = tx.prepare("SELECT 1 FROM mfa_recovery_codes WHERE user_id = ? AND code_hash = ?");
                Rows.bind(ps, userId, codeHash);
                return Rows.one(ps, rs -> Spend.ALREADY_USED) == null ? Spend.UNKNOWN : Spend.ALREADY_USED;
            }
            tx.update("UPDATE mfa_totp SET failures = 0, failed_at = NULL WHERE user_id = ?", userId);
            return Spend.SPENT;
        });
    }

    @Override
    public int unusedRecoveryCodes(String userId) {
        return db.read(tx -> {
            var ps = tx.prepare("SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL");
            Rows.bind(ps, userId);
            return Rows.one(ps, rs -> rs.getInt(1));
        });
    }

    @Override
    public boolean remove(String userId) {
        return db.write(tx -> {
            tx.update("DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
            return tx.update("DELETE FROM mfa_totp WHERE user_id = ?", userId) == 1;
        });
    }

    private static Enrolment map(ResultSet rs) throws SQLException {
        long lastStep = rs.getLong("last_step");
        Long step = rs.wasNull() ? null : lastStep;
        return new Enrolment(rs.getString("user_id"), rs.getBytes("secret_sealed"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "confirmed_at"), step, rs.getInt("failures"), Rows.instant(rs, "failed_at"));
    }
}
