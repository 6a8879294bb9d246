package dev.rotor.store;

import dev.rotor.sso.SsoSessionStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SsoSessionStoreContract} against {@link JdbcSsoSessionStore} on a real SQLite file. */
class JdbcSsoSessionStoreSqliteIT extends SsoSessionStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected SsoSessionStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcSsoSessionStore(db);
    }

    @Override
    protected void ensureUser(String userId) {
        SqlStoreFixture.ensureUser(db, userId, NOW);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
