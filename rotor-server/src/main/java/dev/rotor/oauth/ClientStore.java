package dev.rotor.oauth;

import java.util.List;
import java.util.Optional;

/** Persistence of clients. */
public interface ClientStore {
    /** Empty when no client has this id. */
    Optional<Client> find(String id);

    /** @throws IllegalArgumentException when the id is taken */
    void add(Client client);

    List<Client> list();
}
