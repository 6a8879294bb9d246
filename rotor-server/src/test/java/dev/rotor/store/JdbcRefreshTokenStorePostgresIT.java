package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.oauth.Client;
import dev.rotor.session.RefreshTokenStore;
import java.util.List;
import java.util.Set;

/** {@link RefreshTokenStoreContract} against {@link JdbcRefreshTokenStore} on PostgreSQL, a fresh database per test. */
class JdbcRefreshTokenStorePostgresIT extends RefreshTokenStoreContract {
    private PostgresFixture pg;
    private PostgresDatabase db;

    @Override
    protected RefreshTokenStore openStore() {
        pg = PostgresFixture.create();
        db = pg.open();
        return new JdbcRefreshTokenStore(db);
    }

    @Override
    protected void ensureUserAndClient(String userId, String clientId) {
        // sessions.user_id and sessions.client_id are foreign keys.
        JdbcUserStore users = new JdbcUserStore(db);
        if (users.findById(userId).isEmpty()) {
            users.add(new User(userId, "name-" + userId, null, null, null, false, clock.instant()));
        }
        JdbcClientStore clients = new JdbcClientStore(db);
        if (clients.find(clientId).isEmpty()) {
            clients.add(new Client(clientId, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(), false,
                    "openid profile", clock.instant(), Set.of()));
        }
    }

    @Override
    protected void plantLegacyToken(String familyId, int generation, String hash) {
        db.write(tx -> tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)",
                hash, familyId, generation, clock.instant()));
    }

    @Override
    protected List<AuditEvent> auditEvents() {
        return new JdbcAuditLog(db).tail(10_000);
    }

    @Override
    protected void closeStore() {
        if (pg != null) pg.close();
    }
}
