package dev.rotor.sso;

import dev.rotor.store.SsoSessionStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemorySsoSessionStoreTest extends SsoSessionStoreContract {
    @Override
    protected SsoSessionStore openStore() {
        return new InMemorySsoSessionStore();
    }

    @Override
    protected void ensureUser(String userId) {
        // no foreign keys in memory
    }
}
