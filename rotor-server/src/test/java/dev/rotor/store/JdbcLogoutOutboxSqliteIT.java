package dev.rotor.store;

import dev.rotor.logout.LogoutOutbox;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogoutOutboxContract} against {@link JdbcLogoutOutbox} on a real SQLite file, two connections pools on it. */
class JdbcLogoutOutboxSqliteIT extends LogoutOutboxContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;
    private SqliteDatabase another;

    @Override
    protected LogoutOutbox openOutbox() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcLogoutOutbox(db);
    }

    @Override
    protected LogoutOutbox openAnotherNode() {
        another = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcLogoutOutbox(another);
    }

    @Override
    protected void closeOutbox() {
        if (another != null) another.close();
        if (db != null) db.close();
    }
}
