package dev.rotor.store;

import dev.rotor.oauth.authorize.AuthorizationCodeStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuthorizationCodeStoreContract} against {@link JdbcAuthorizationCodeStore} on a real SQLite file. */
class JdbcAuthorizationCodeStoreSqliteIT extends AuthorizationCodeStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected AuthorizationCodeStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcAuthorizationCodeStore(db);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
