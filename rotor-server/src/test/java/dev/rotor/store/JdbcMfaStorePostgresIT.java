package dev.rotor.store;

import dev.rotor.mfa.MfaStore;

/** {@link MfaStoreContract} against {@link JdbcMfaStore} on PostgreSQL, a fresh database per test; the other node has a pool of its own. */
class JdbcMfaStorePostgresIT extends MfaStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected MfaStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcMfaStore(db);
    }

    @Override
    protected MfaStore openOtherNode() {
        return new JdbcMfaStore(pg.open());
    }

    @Override
    protected void ensureUser(String userId) {
        SqlStoreFixture.ensureUser(db, userId, NOW);
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
