package dev.rotor.store;

import dev.rotor.account.UserStore;

/** {@link UserStoreContract} against {@link JdbcUserStore} on PostgreSQL, a fresh database per test. */
class JdbcUserStorePostgresIT extends UserStoreContract {
    private PostgresFixture pg;

    @Override
    protected UserStore openStore() {
        pg = PostgresFixture.create();
        return new JdbcUserStore(pg.open());
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
