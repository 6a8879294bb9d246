package dev.rotor.account;

import dev.rotor.store.UserStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryUserStoreTest extends UserStoreContract {
    @Override
    protected UserStore openStore() {
        return new InMemoryUserStore();
    }
}
