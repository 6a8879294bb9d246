package dev.rotor.store;

import dev.rotor.throttle.ThrottleStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ThrottleStoreContract} against {@link JdbcThrottleStore} on a real SQLite file, two pools on it. */
class JdbcThrottleStoreSqliteIT extends ThrottleStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;
    private SqliteDatabase another;

    @Override
    protected ThrottleStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcThrottleStore(db);
    }

    @Override
    protected ThrottleStore openAnotherNode() {
        another = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcThrottleStore(another);
    }

    @Override
    protected void closeStore() {
        if (another != null) another.close();
        if (db != null) db.close();
    }
}
