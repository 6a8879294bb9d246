package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.oauth.Client;
import dev.rotor.session.RefreshTokenStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** {@link RefreshTokenStoreContract} against {@link JdbcRefreshTokenStore} on a real SQLite file. */
class JdbcRefreshTokenStoreSqliteIT extends RefreshTokenStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected RefreshTokenStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
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
    protected List<AuditEvent> auditEvents() {
        return new JdbcAuditLog(db).tail(10_000);
    }

    @Override
    protected void plantLegacyToken(String familyId, int generation, String hash) {
        db.write(tx -> tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)",
                hash, familyId, generation, clock.instant()));
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
