package dev.rotor.store;

import dev.rotor.token.SigningKeyStore;

/** {@link SigningKeyStoreContract} against {@link JdbcSigningKeyStore} on PostgreSQL, a fresh database per test. */
class JdbcSigningKeyStorePostgresIT extends SigningKeyStoreContract {
    private PostgresFixture pg;

    @Override
    protected SigningKeyStore openStore() {
        pg = PostgresFixture.create();
        return new JdbcSigningKeyStore(pg.open());
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
