package dev.rotor.store;

import dev.rotor.oauth.authorize.AuthorizationCodeStore;

/** {@link AuthorizationCodeStoreContract} against {@link JdbcAuthorizationCodeStore} on PostgreSQL, a fresh database per test. */
class JdbcAuthorizationCodeStorePostgresIT extends AuthorizationCodeStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected AuthorizationCodeStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcAuthorizationCodeStore(db);
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
