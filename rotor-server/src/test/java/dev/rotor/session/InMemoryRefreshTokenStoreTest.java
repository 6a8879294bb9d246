package dev.rotor.session;

import dev.rotor.audit.AuditEvent;
import dev.rotor.store.RefreshTokenStoreContract;
import java.util.List;

/** Keeps the test double honest: it must pass the same contract as the SQL store. */
class InMemoryRefreshTokenStoreTest extends RefreshTokenStoreContract {
    private InMemoryRefreshTokenStore store;

    @Override
    protected RefreshTokenStore openStore() {
        store = new InMemoryRefreshTokenStore();
        return store;
    }

    @Override
    protected void ensureUserAndClient(String userId, String clientId) {
        // no foreign keys in memory
    }

    @Override
    protected List<AuditEvent> auditEvents() {
        return store.events();
    }

    @Override
    protected void plantLegacyToken(String familyId, int generation, String hash) {
        store.addLegacyToken(familyId, generation, hash);
    }
}
