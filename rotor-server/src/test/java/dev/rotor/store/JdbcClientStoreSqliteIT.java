package dev.rotor.store;

import dev.rotor.oauth.ClientStore;
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
        return new JdbcClientStore(db);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
