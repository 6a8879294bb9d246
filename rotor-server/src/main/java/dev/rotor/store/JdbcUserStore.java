package dev.rotor.store;

import dev.rotor.account.User;
import dev.rotor.account.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link UserStore} on the SQL database. */
public final class JdbcUserStore implements UserStore {
    private static final String COLUMNS = "id, username, email, name, password_hash, disabled, created_at";
    private final Database db;

    public JdbcUserStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT " + COLUMNS + " FROM users WHERE username = ?");
            Rows.bind(ps, username);
            return Rows.one(ps, JdbcUserStore::map);
        }));
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
     * Inserts; the unique constraint on username decides a race (any unique violation means the username: ids are
     * random UUIDs).
     */
    @Override
    public void add(User u) {
        db.write(tx -> {
            try {
                return tx.update("INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                        u.id(), u.username(), u.email(), u.name(), u.passwordHash(), u.disabled(), u.createdAt());
            } catch (SQLException e) {
                if (UniqueViolation.is(e)) throw new IllegalArgumentException("username '" + u.username() + "' is taken", e);
                throw e;
            }
        });
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
