package dev.rotor.store;

import dev.rotor.sso.SsoSessionStore;

/** {@link SsoSessionStoreContract} against {@link JdbcSsoSessionStore} on PostgreSQL, a fresh database per test. */
class JdbcSsoSessionStorePostgresIT extends SsoSessionStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected SsoSessionStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcSsoSessionStore(db);
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
