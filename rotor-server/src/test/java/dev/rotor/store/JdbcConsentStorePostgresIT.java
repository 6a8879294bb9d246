package dev.rotor.store;

import dev.rotor.oauth.authorize.ConsentStore;

/** {@link ConsentStoreContract} against {@link JdbcConsentStore} on PostgreSQL, a fresh database per test. */
class JdbcConsentStorePostgresIT extends ConsentStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected ConsentStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcConsentStore(db);
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
