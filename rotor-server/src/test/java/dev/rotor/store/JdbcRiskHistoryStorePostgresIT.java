package dev.rotor.store;

import dev.rotor.risk.RiskHistoryStore;

/** {@link RiskHistoryStoreContract} against {@link JdbcRiskHistoryStore} on PostgreSQL, a fresh database per test. */
class JdbcRiskHistoryStorePostgresIT extends RiskHistoryStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected RiskHistoryStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcRiskHistoryStore(db);
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
