package dev.rotor.oauth.authorize;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of the scopes a user allowed a client. */
public interface ConsentStore {
    /** Empty when the user never allowed the client anything (or withdrew it). */
    Optional<Consent> find(String userId, String clientId);

    /** Stores (or replaces) the user's consent for the client. */
    void save(Consent consent);

    /** The user's consents, by client id. */
    List<Consent> list(String userId);

    /** Withdraws; true when there was one. */
    boolean delete(String userId, String clientId);

    record Consent(String userId, String clientId, String scope, Instant grantedAt) {}
}
