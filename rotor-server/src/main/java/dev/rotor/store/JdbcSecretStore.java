package dev.rotor.store;

import dev.rotor.crypto.SecretStore;
import java.time.Instant;
import java.util.Optional;

/** {@link SecretStore} on the SQL database. */
public final class JdbcSecretStore implements SecretStore {
    private final Database db;

    public JdbcSecretStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<byte[]> find(String name) {
        return Optional.ofNullable(db.read(tx -> {
            var ps = tx.prepare("SELECT sealed FROM server_secrets WHERE name = ?");
            Rows.bind(ps, name);
            return Rows.one(ps, rs -> rs.getBytes(1));
        }));
    }

    @Override
    public void insertIfAbsent(String name, byte[] sealed, Instant now) {
        // The primary key decides between nodes that start at once: the first insert wins, the others change nothing.
        db.write(tx -> tx.update("INSERT INTO server_secrets (name, sealed, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                name, sealed, now));
    }
}
