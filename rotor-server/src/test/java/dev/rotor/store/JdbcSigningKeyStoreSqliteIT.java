package dev.rotor.store;

import dev.rotor.token.SigningKeyStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SigningKeyStoreContract} against {@link JdbcSigningKeyStore} on a real SQLite file. */
class JdbcSigningKeyStoreSqliteIT extends SigningKeyStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected SigningKeyStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcSigningKeyStore(db);
    }

    @Override
    protected void closeStore() {
        if (db != null) db.close();
    }
}
