package dev.rotor.store;

import dev.rotor.token.SigningKey;
import dev.rotor.token.SigningKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@link SigningKeyStore} on the SQL database. Initialising and rotating read the keys and then change them, so
 * concurrent ones must take turns: on SQLite they do (one writer); on PostgreSQL each first locks the table against
 * other key changes (SHARE ROW EXCLUSIVE: readers, the JWKS among them, go on), else two nodes could both find no
 * active key and insert two pairs, or both rotate away from one active key and leave two active.
 */
public final class JdbcSigningKeyStore implements SigningKeyStore {
    private static final String COLUMNS = "kid, alg, state, public_jwk, private_sealed, created_at, activated_at, retire_at";
    private final Database db;
    /** The statement that makes key changes take turns, or null where they already do. */
    private final String takeTurns;

    public JdbcSigningKeyStore(Database db) {
        this.db = db;
        this.takeTurns = switch (db.vendor()) {
            case SQLITE -> null;
            case POSTGRESQL -> "LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE";
        };
    }

    private void takeTurns(Tx tx) throws SQLException {
        if (takeTurns != null) tx.update(takeTurns);
    }

    @Override
    public List<SigningKey> list() {
        return db.read(tx -> Rows.list(tx.prepare("SELECT " + COLUMNS + " FROM signing_keys ORDER BY created_at DESC, kid"),
                JdbcSigningKeyStore::map));
    }

    @Override
    public boolean initialize(SigningKey active, SigningKey next) {
        return db.write(tx -> {
            takeTurns(tx);
            if (Rows.one(tx.prepare("SELECT 1 FROM signing_keys WHERE state = 'active'"), rs -> 1) != null) return false;
            insert(tx, active);
            insert(tx, next);
            return true;
        });
    }

    @Override
    public boolean rotate(String expectedActiveKid, SigningKey newNext, Instant now, Instant retireAt) {
        return db.write(tx -> {
            takeTurns(tx);
            var ps = tx.prepare("SELECT kid FROM signing_keys WHERE state = 'active'");
            String active = Rows.one(ps, rs -> rs.getString(1));
            if (!expectedActiveKid.equals(active)) return false;
            retire(tx, now);
            // A retiring key never signs again: its private part goes now, not at retirement, so a database leaked
            // later cannot forge tokens that verifiers still accept under it.
            tx.update("UPDATE signing_keys SET state = 'retiring', retire_at = ?, private_sealed = NULL WHERE kid = ?", retireAt, active);
            int promoted = tx.update("UPDATE signing_keys SET state = 'active', activated_at = ? WHERE state = 'next'", now);
            if (promoted == 0) {
                // No published successor (should not happen): the new key signs at once.
                insert(tx, new SigningKey(newNext.kid(), newNext.alg(), SigningKey.State.ACTIVE, newNext.publicJwk(),
                        newNext.privateSealed(), now, now, null));
            } else {
                insert(tx, newNext);
            }
            return true;
        });
    }

    @Override
    public int retireExpired(Instant now) {
        return db.write(tx -> retire(tx, now));
    }

    @Override
    public boolean retireNow(String kid, Instant now) {
        return db.write(tx -> tx.update("UPDATE signing_keys SET state = 'retired', private_sealed = NULL, retire_at = ? WHERE kid = ? AND state = 'retiring'",
                now, kid)) == 1;
    }

    private static int retire(Tx tx, Instant now) throws SQLException {
        // A retired key is never used again: drop its private part.
        return tx.update("UPDATE signing_keys SET state = 'retired', private_sealed = NULL WHERE state = 'retiring' AND retire_at <= ?", now);
    }

    private static void insert(Tx tx, SigningKey k) throws SQLException {
        tx.update("INSERT INTO signing_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", k.kid(), k.alg(), k.state().value(),
                k.publicJwk(), k.privateSealed(), k.createdAt(), k.activatedAt(), k.retireAt());
    }

    private static SigningKey map(ResultSet rs) throws SQLException {
        return new SigningKey(rs.getString("kid"), rs.getString("alg"), SigningKey.State.of(rs.getString("state")),
                rs.getString("public_jwk"), rs.getBytes("private_sealed"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "activated_at"), Rows.instant(rs, "retire_at"));
    }
}
