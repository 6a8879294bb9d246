package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.oauth.Client;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Rows the SQL stores' contract tests need beside what they test, the same on every vendor. */
final class SqlStoreFixture {
    private SqlStoreFixture() {}

    /** Makes the user exist (sso_sessions.user_id and consents.user_id are foreign keys). */
    static void ensureUser(Database db, String userId, Instant now) {
        JdbcUserStore users = new JdbcUserStore(db);
        if (users.findById(userId).isEmpty()) users.add(new User(userId, "name-" + userId, null, null, null, false, now));
    }

    /** Makes the user and the client exist (sessions.user_id and sessions.client_id are foreign keys). */
    static void ensureUserAndClient(Database db, String userId, String clientId, Instant now) {
        ensureUser(db, userId, now);
        JdbcClientStore clients = new JdbcClientStore(db);
        if (clients.find(clientId).isEmpty()) {
            clients.add(new Client(clientId, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(), false,
                    "openid profile", now, Set.of()));
        }
    }

    /** A refresh token of the old format, known by its hash, as generation {@code generation} of the family. */
    static void plantLegacyToken(Database db, String familyId, int generation, String hash, Instant now) {
        db.write(tx -> tx.update("INSERT INTO refresh_tokens (hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)",
                hash, familyId, generation, now));
    }
}
