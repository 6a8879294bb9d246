package dev.rotor.store;

import dev.rotor.audit.AuditEvent;
import dev.rotor.session.RefreshTokenStore;
import java.util.List;

/** {@link RefreshTokenStoreContract} against {@link JdbcRefreshTokenStore} on PostgreSQL, a fresh database per test. */
class JdbcRefreshTokenStorePostgresIT extends RefreshTokenStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected RefreshTokenStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcRefreshTokenStore(db);
    }

    @Override
    protected void ensureUserAndClient(String userId, String clientId) {
        SqlStoreFixture.ensureUserAndClient(db, userId, clientId, clock.instant());
    }

    @Override
    protected void plantLegacyToken(String familyId, int generation, String hash) {
        SqlStoreFixture.plantLegacyToken(db, familyId, generation, hash, clock.instant());
    }

    @Override
    protected List<AuditEvent> auditEvents() {
        return new JdbcAuditLog(db).tail(10_000);
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
