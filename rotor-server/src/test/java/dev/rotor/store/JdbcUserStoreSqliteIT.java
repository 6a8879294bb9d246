package dev.rotor.store;

import dev.rotor.account.UserStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link UserStoreContract} against {@link JdbcUserStore} on a real SQLite file. */
class JdbcUserStoreSqliteIT extends UserStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected UserStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcUserStore(db);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
