package dev.rotor.store;

import dev.rotor.oauth.ClientStore;
import java.time.Instant;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClientStoreContract} against {@link JdbcClientStore} on a real SQLite file. */
class JdbcClientStoreSqliteIT extends ClientStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected ClientStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        belongings = new ClientBelongings(db);
        return new JdbcClientStore(db);
    }

    private ClientBelongings belongings;

    @Override
    protected void givenSession(String clientId, Instant expiresAt, boolean revoked) {
        belongings.givenSession(clientId, expiresAt, revoked);
    }

    @Override
    protected long belongings(String clientId) {
        return belongings.count(clientId);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
