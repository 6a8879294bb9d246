package dev.rotor.store;

import dev.rotor.risk.RiskHistoryStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link RiskHistoryStoreContract} against {@link JdbcRiskHistoryStore} on a real SQLite file. */
class JdbcRiskHistoryStoreSqliteIT extends RiskHistoryStoreContract {
    @TempDir
    Path dir;

    private SqliteDatabase db;

    @Override
    protected RiskHistoryStore openStore() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        return new JdbcRiskHistoryStore(db);
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
