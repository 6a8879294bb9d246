package dev.rotor.store;

import dev.rotor.throttle.ThrottleStore;

/** {@link ThrottleStoreContract} against {@link JdbcThrottleStore} on PostgreSQL, a fresh database per test. */
class JdbcThrottleStorePostgresIT extends ThrottleStoreContract {
    private PostgresFixture pg;

    @Override
    protected ThrottleStore openStore() {
        pg = PostgresFixture.create();
        return new JdbcThrottleStore(pg.open());
    }

    @Override
    protected ThrottleStore openAnotherNode() {
        return new JdbcThrottleStore(pg.open());
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close(); // with both pools it opened
    }
}
