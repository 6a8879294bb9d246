package dev.rotor.throttle;

import dev.rotor.store.ThrottleStoreContract;

/** The in-memory double held to the same contract as the database stores. */
class InMemoryThrottleStoreTest extends ThrottleStoreContract {
    @Override
    protected ThrottleStore openStore() {
        return new InMemoryThrottleStore();
    }

    @Override
    protected ThrottleStore openAnotherNode() {
        return store;
    }
}
