package dev.rotor.crypto;

import java.util.Optional;

/** Server-wide secrets, stored only sealed under the master key, shared by every node of one database. */
public interface SecretStore {

    /** The sealed value of {@code name}; empty when there is none. */
    Optional<byte[]> find(String name);

    /**
     * Stores {@code sealed} under {@code name} unless a value is there already (another node may have created it
     * first); the stored value wins either way, so read it back with {@link #find}.
     */
    void insertIfAbsent(String name, byte[] sealed, java.time.Instant now);
}
