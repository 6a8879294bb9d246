package dev.rotor.account;

import java.time.Instant;
import java.util.Objects;

/**
 * An end user.
 *
 * @param id           stable identifier, the {@code sub} claim
 * @param passwordHash PHC-format Argon2id hash, or null for a user without a password
 */
public record User(String id, String username, String email, String name, String passwordHash, boolean disabled, Instant createdAt) {
    public User {
        Objects.requireNonNull(id);
        Objects.requireNonNull(username);
        Objects.requireNonNull(createdAt);
    }

    @Override
    public String toString() {
        // Keep the hash out of any log line that prints a user.
        return "User[id=" + id + ", username=" + username + ", disabled=" + disabled + "]";
    }
}
