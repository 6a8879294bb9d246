package dev.rotor.store;

import dev.rotor.oauth.ClientStore;

/** {@link ClientStoreContract} against {@link JdbcClientStore} on PostgreSQL, a fresh database per test. */
class JdbcClientStorePostgresIT extends ClientStoreContract {
    private PostgresFixture pg;

    @Override
    protected ClientStore openStore() {
        pg = PostgresFixture.create();
        return new JdbcClientStore(pg.open());
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
