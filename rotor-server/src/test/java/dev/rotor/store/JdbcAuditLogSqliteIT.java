package dev.rotor.store;

import dev.rotor.audit.AuditLog;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditLogContract} against {@link JdbcAuditLog} on a real SQLite file. */
class JdbcAuditLogSqliteIT extends AuditLogContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected AuditLog openLog() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcAuditLog(db);
    }

    @Override
    protected void closeLog() {
        if (db != null) db.close();
    }
}
