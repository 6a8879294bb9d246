package dev.rotor.risk;

import dev.rotor.store.RiskHistoryStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryRiskHistoryStoreTest extends RiskHistoryStoreContract {
    @Override
    protected RiskHistoryStore openStore() {
        return new InMemoryRiskHistoryStore();
    }

    @Override
    protected void ensureUser(String userId) {
        // no foreign keys in memory
    }
}
