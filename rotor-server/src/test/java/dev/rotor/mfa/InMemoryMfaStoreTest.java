package dev.rotor.mfa;

import dev.rotor.store.MfaStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryMfaStoreTest extends MfaStoreContract {
    @Override
    protected MfaStore openStore() {
        return new InMemoryMfaStore();
    }

    @Override
    protected void ensureUser(String userId) {
        // no foreign keys in memory
    }
}
