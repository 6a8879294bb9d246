package dev.rotor.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** Users and their passwords: registration and the password check of a sign-in. */
public final class Accounts {
    private final UserStore users;
    private final PasswordHasher hasher;
    private final Clock clock;
    /** Null until the first {@link #check} needs it; see {@link #dummyHash()}. */
    private volatile String dummyHash;
    private int dummyHashes;

    public Accounts(UserStore users, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Makes the hash that unknown users are checked against now, rather than on the first sign-in of one (which would
     * then take two hashes' time, telling that one caller the user does not exist). A server calls it at start-up;
     * the CLI never signs anyone in and so never pays for it.
     */
    public void prepareSignIn() {
        dummyHash();
    }

    /**
     * Unknown users are checked against this, so that they cost the same time as a wrong password. One Argon2id hash
     * (tens of milliseconds and the hash's memory), made once, on first need; concurrent first callers wait for the one.
     */
    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            synchronized (this) {
                hash = dummyHash;
                if (hash == null) {
                    hash = hasher.hash(UUID.randomUUID().toString());
                    dummyHashes++;
                    dummyHash = hash;
                }
            }
        }
        return hash;
    }

    /** For tests: how many dummy hashes were made (0 or 1). */
    synchronized int dummyHashes() {
        return dummyHashes;
    }

    /** What a username and password prove: a user, a user whose account is disabled, or nothing. */
    public sealed interface Check permits Valid, Disabled, Invalid {}

    public record Valid(User user) implements Check {}

    /** The password was right, so saying so tells nothing to someone who does not know it. */
    public record Disabled(User user) implements Check {}

    /** Unknown user, wrong password or no password set: deliberately one answer. */
    public record Invalid() implements Check {}

    /**
     * Checks the credentials after the same amount of hashing work in every case (no user enumeration by timing);
     * rehashes the password when the parameters changed.
     */
    public Check check(String username, String password) {
        Optional<User> found = users.findByUsername(username);
        String hash = found.map(User::passwordHash).filter(h -> h != null).orElseGet(this::dummyHash);
        boolean matches = hasher.verify(password, hash);
        if (found.isEmpty() || !matches || found.get().passwordHash() == null) return new Invalid();
        User user = found.get();
        if (user.disabled()) return new Disabled(user);
        if (hasher.needsRehash(user.passwordHash())) {
            users.updatePasswordHash(user.id(), hasher.hash(password));
        }
        return new Valid(user);
    }

    /** The user when the username exists, is enabled and the password matches; empty otherwise. */
    public Optional<User> authenticate(String username, String password) {
        return check(username, password) instanceof Valid v ? Optional.of(v.user()) : Optional.empty();
    }

    /**
     * Registers a user under the username as typed; the store compares it by its RFC 8265 form and its UTS #39
     * skeleton (see {@link UsernameForms}).
     *
     * @throws IllegalArgumentException when the username breaks RFC 8265 or the rules below, when its normalised form
     *     is taken ("is taken"), when it is a confusable of an existing one ("looks like an existing user"), or when
     *     the password breaks the policy
     */
    public User register(String username, String email, String name, String password) {
        UsernameForms.key(username);
        if (!username.matches("[\\p{L}\\p{N}._@+-]{1,128}")) {
            throw new IllegalArgumentException("username must be 1-128 letters, digits or . _ @ + -");
        }
        // Both may travel in every access token (profile claims): bounded so a token stays well under 8 KiB.
        if (email != null && (email.length() > 320 || !email.matches("[^\\s@]+@[^\\s@]+"))) {
            throw new IllegalArgumentException("email must look like name@domain, at most 320 characters");
        }
        if (name != null && (name.length() > 256 || name.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("name must be at most 256 characters, without control characters");
        }
        String hash = null;
        if (password != null) {
            String problem = PasswordPolicy.check(password);
            if (problem != null) throw new IllegalArgumentException(problem);
            hash = hasher.hash(password);
        }
        User user = new User(UUID.randomUUID().toString(), username, email, name, hash, false, clock.instant());
        users.add(user);
        return user;
    }
}
