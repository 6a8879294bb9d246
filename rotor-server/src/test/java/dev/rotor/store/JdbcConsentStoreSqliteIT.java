package dev.rotor.store;

import dev.rotor.oauth.authorize.ConsentStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ConsentStoreContract} against {@link JdbcConsentStore} on a real SQLite file. */
class JdbcConsentStoreSqliteIT extends ConsentStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected ConsentStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcConsentStore(db);
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
