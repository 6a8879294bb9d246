package dev.rotor.store;

import dev.rotor.audit.AuditEvent;
import dev.rotor.session.RefreshTokenStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** {@link RefreshTokenStoreContract} against {@link JdbcRefreshTokenStore} on a real SQLite file. */
class JdbcRefreshTokenStoreSqliteIT extends RefreshTokenStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected RefreshTokenStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcRefreshTokenStore(db);
    }

    @Override
    protected void ensureUserAndClient(String userId, String clientId) {
        SqlStoreFixture.ensureUserAndClient(db, userId, clientId, clock.instant());
    }

    @Override
    protected List<AuditEvent> auditEvents() {
        return new JdbcAuditLog(db).tail(10_000);
    }

    @Override
    protected void plantLegacyToken(String familyId, int generation, String hash) {
        SqlStoreFixture.plantLegacyToken(db, familyId, generation, hash, clock.instant());
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
