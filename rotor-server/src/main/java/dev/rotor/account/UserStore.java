package dev.rotor.account;

import java.util.List;
import java.util.Optional;

/** Persistence of users. */
public interface UserStore {
    /** Empty when no user has this username (exact, case-sensitive match). */
    Optional<User> findByUsername(String username);

    Optional<User> findById(String id);

    /** @throws IllegalArgumentException when the username is taken */
    void add(User user);

    List<User> list();

    /** Marks the user disabled; false when no such user. Does not revoke sessions (the caller does). */
    boolean disable(String username);

    /** Replaces the password hash, e.g. after a rehash with stronger parameters. */
    void updatePasswordHash(String userId, String passwordHash);
}
