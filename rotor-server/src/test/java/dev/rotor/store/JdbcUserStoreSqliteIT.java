package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;
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

    @Test
    void existingLookAlikesFromBeforeVersion9BothKeepSigningInAndBlockNewOnes() {
        db.write(tx -> {
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            for (String[] r : new String[][] {{"u1", "alice"}, {"u2", "Alice"}, {"u3", "\u0430lice"}}) {
                tx.update("INSERT INTO users (id, username, disabled, created_at) VALUES (?, ?, ?, ?)", r[0], r[1], false, t);
                t = t.plusSeconds(1);
            }
            return null;
        });

        JdbcUserStore reopened = new JdbcUserStore(db);
        reopened.backfillUsernameForms();

        assertThat(reopened.findByUsername("alice")).map(User::id).contains("u1");
        assertThat(reopened.findByUsername("Alice")).map(User::id).contains("u2");
        assertThat(reopened.findByUsername("\u0430lice")).map(User::id).contains("u3");
        assertThat(reopened.findByUsername("ALICE")).map(User::id).contains("u1");
        assertThatThrownBy(() -> reopened.add(new User("u4", "\u0430LICE", null, null, null, false, Instant.EPOCH)))
                .hasMessageContaining("looks like an existing user");
    }
}
