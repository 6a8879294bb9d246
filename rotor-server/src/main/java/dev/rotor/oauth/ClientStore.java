package dev.rotor.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of clients. The rules of what a client may be are in {@code oauth.registration.ClientRegistration}. */
public interface ClientStore {
    /** Empty when no client has this id. */
    Optional<Client> find(String id);

    /** @throws IllegalArgumentException when the id is taken */
    void add(Client client);

    List<Client> list();

    /**
     * Replaces the stored client of {@code client.id()} with {@code client} if its secret hash is still
     * {@code expectedSecretHash} (null: it has none); false, with nothing written, when it changed meanwhile or there
     * is no such client. Of concurrent replacements reading the same client, exactly one succeeds.
     */
    boolean replace(Client client, String expectedSecretHash);

    /** Sessions of the client that are neither revoked nor past their absolute expiry at {@code now}. */
    int liveSessions(String id, Instant now);

    /**
     * Deletes the client and everything that belongs to it, in one transaction: its sessions (refresh-token families,
     * with their tokens, recorded uses and single-sign-on links), its authorization codes and its users' consents.
     * Audit events stay. Returns the number of sessions deleted, or -1 when there was no such client.
     */
    int remove(String id);
}
