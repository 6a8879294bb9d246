package dev.rotor.oauth.authorize;

import dev.rotor.store.ConsentStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryConsentStoreTest extends ConsentStoreContract {
    @Override
    protected ConsentStore openStore() {
        return new InMemoryConsentStore();
    }

    @Override
    protected void ensureUser(String userId) {
        // no foreign keys in memory
    }
}
