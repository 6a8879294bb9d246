package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import dev.rotor.account.UsernameForms;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link UserStore} on the SQL database. */
public final class JdbcUserStore implements UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUserStore.class);
    private static final String COLUMNS = "id, username, email, name, password_hash, disabled, created_at";
    private final Database db;

    /** Opens the store and gives users from before schema version 9 their username forms ({@link #backfillUsernameForms}). */
    public JdbcUserStore(Database db) {
        this.db = db;
        backfillUsernameForms();
    }

    /**
     * The user whose username is exactly this one, else the one whose RFC 8265 form is this one's. Exact first, so
     * that of two users from before version 9 whose names collide ({@code alice}, {@code Alice}) each still signs in
     * as itself.
     */
    @Override
    public Optional<User> findByUsername(String username) {
        Optional<String> key = UsernameForms.keyIfValid(username);
        return Optional.ofNullable(db.read(tx -> {
            var exact = tx.prepare("SELECT " + COLUMNS + " FROM users WHERE username = ?");
            Rows.bind(exact, username);
            User found = Rows.one(exact, JdbcUserStore::map);
            if (found != null || key.isEmpty()) return found;
            var byKey = tx.prepare("SELECT " + COLUMNS + " FROM users WHERE username_key = ?");
            Rows.bind(byKey, key.get());
            return Rows.one(byKey, JdbcUserStore::map);
        }));
    }

    /**
     * Computes the username forms of every row that has none (normalisation needs Java, so the migration cannot),
     * oldest first; idempotent. When the form is already another user's, the newer row keeps NULL and a warning names
     * both ids: both users go on signing in by their exact names, and nobody new can take a look-alike of either.
     */
    void backfillUsernameForms() {
        List<String[]> pending = db.read(tx -> Rows.list(tx.prepare(
                "SELECT id, username FROM users WHERE username_key IS NULL ORDER BY created_at, id"),
                rs -> new String[] {rs.getString("id"), rs.getString("username")}));
        for (String[] row : pending) {
            String id = row[0];
            Optional<String> key = UsernameForms.keyIfValid(row[1]);
            if (key.isEmpty()) {
                LOG.warn("user {}: username breaks RFC 8265; it signs in only by its exact name", id);
                continue;
            }
            String skeleton = UsernameForms.skeleton(key.get());
            boolean set = db.write(tx -> {
                try {
                    tx.update("UPDATE users SET username_key = ?, username_skeleton = ? WHERE id = ? AND username_key IS NULL",
                            key.get(), skeleton, id);
                    return true;
                } catch (SQLException e) {
                    if (UniqueViolation.is(e)) return false;
                    throw e;
                }
            });
            if (!set) {
                String holder = db.read(tx -> {
                    var ps = tx.prepare("SELECT id FROM users WHERE username_key = ? OR username_skeleton = ? LIMIT 1");
                    Rows.bind(ps, key.get(), skeleton);
                    return Rows.one(ps, rs -> rs.getString("id"));
                });
                LOG.warn("user {}: username looks like the one of user {}; both keep signing in by their exact names", id, holder);
            }
        }
    }

    @Override
    public Optional<User> findById(String id) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM users WHERE id = ?");
            Rows.bind(ps, id);
            return Rows.one(ps, JdbcUserStore::map);
        }));
    }

    /**
     * Inserts with the username's forms; the unique indexes on them decide a race, so of two nodes adding look-alikes
     * at once exactly one wins (any other unique violation means the username too: ids are random UUIDs).
     */
    @Override
    public void add(User u) {
        // A name that breaks RFC 8265 gets no forms, like such a name from before version 9 (Accounts.register refuses
        // it; the store keeps rows the way they may already exist, e.g. those a test seeds).
        String key = UsernameForms.keyIfValid(u.username()).orElse(null);
        String skeleton = key == null ? null : UsernameForms.skeleton(key);
        boolean inserted = db.write(tx -> {
            try {
                tx.update("INSERT INTO users (" + COLUMNS + ", username_key, username_skeleton) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        u.id(), u.username(), u.email(), u.name(), u.passwordHash(), u.disabled(), u.createdAt(), key, skeleton);
                return true;
            } catch (SQLException e) {
                if (UniqueViolation.is(e)) return false;
                throw e;
            }
        });
        if (inserted) return;
        // Which index refused is told by the row that holds the form, not by the message (SQLite may name either).
        boolean sameForm = db.read(tx -> {
            var ps = tx.prepare("SELECT id FROM users WHERE username_key = ? OR username = ? LIMIT 1");
            Rows.bind(ps, key, u.username());
            return Rows.one(ps, rs -> rs.getString("id")) != null;
        });
        throw new IllegalArgumentException("username '" + u.username() + "' " + (sameForm ? "is taken" : "looks like an existing user"));
    }

    @Override
    public List<User> list() {
        return db.read(tx -> Rows.list(tx.prepare("SELECT " + COLUMNS + " FROM users ORDER BY username"), JdbcUserStore::map));
    }

    @Override
    public boolean disable(String username) {
        return db.write(tx -> tx.update("UPDATE users SET disabled = 1 WHERE username = ?", username)) == 1;
    }

    @Override
    public void updatePasswordHash(String userId, String passwordHash) {
        db.write(tx -> tx.update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId));
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("email"), rs.getString("name"),
                rs.getString("password_hash"), rs.getInt("disabled") != 0, Rows.instant(rs, "created_at"));
    }
}
