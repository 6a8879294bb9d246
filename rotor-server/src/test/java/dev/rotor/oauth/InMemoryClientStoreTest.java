package dev.rotor.oauth;

import dev.rotor.store.ClientStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryClientStoreTest extends ClientStoreContract {
    @Override
    protected ClientStore openStore() {
        return new InMemoryClientStore();
    }
}
