package dev.rotor.store;

import dev.rotor.mfa.MfaStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link MfaStoreContract} against {@link JdbcMfaStore} on a real SQLite file; the other node is a second handle on it. */
class JdbcMfaStoreSqliteIT extends MfaStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;
    private SqliteDatabase other;

    @Override
    protected MfaStore openStore() {
        db = SqliteDatabase.open(url());
        return new JdbcMfaStore(db);
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("rotor.db");
    }

    @Override
    protected MfaStore openOtherNode() {
        other = SqliteDatabase.open(url());
        return new JdbcMfaStore(other);
    }

    @Override
    protected void ensureUser(String userId) {
        SqlStoreFixture.ensureUser(db, userId, NOW);
    }

    @Override
    protected void closeStore() {
        if (other != null) other.close();
        if (db != null) db.close();
    }
}
