package dev.rotor.oauth.authorize;

import dev.rotor.store.AuthorizationCodeStoreContract;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryAuthorizationCodeStoreTest extends AuthorizationCodeStoreContract {
    @Override
    protected AuthorizationCodeStore openStore() {
        return new InMemoryAuthorizationCodeStore();
    }
}
