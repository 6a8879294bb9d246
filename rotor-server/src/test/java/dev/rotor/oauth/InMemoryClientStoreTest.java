package dev.rotor.oauth;

import dev.rotor.store.ClientStoreContract;
import java.time.Instant;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryClientStoreTest extends ClientStoreContract {
    private InMemoryClientStore memory;

    @Override
    protected ClientStore openStore() {
        memory = new InMemoryClientStore();
        return memory;
    }

    @Override
    protected void givenSession(String clientId, Instant expiresAt, boolean revoked) {
        memory.addSession(clientId, expiresAt, revoked);
    }

    @Override
    protected long belongings(String clientId) {
        return memory.sessionsOf(clientId);
    }
}
