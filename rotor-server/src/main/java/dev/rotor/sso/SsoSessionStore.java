package dev.rotor.sso;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of SSO sessions and of the refresh-token families each one started. */
public interface SsoSessionStore {
    /** Stores a new session under the SHA-256 of its cookie secret. */
    void create(SsoSession session, String secretHash);

    /** The session whose cookie secret hashes to {@code secretHash}, ended or expired ones included; empty when none. */
    Optional<SsoSession> findBySecretHash(String secretHash);

    /** Empty when there is no session with this id. */
    Optional<SsoSession> find(String id);

    /** Records that {@code familyId} (of {@code clientId}) was started by the session. */
    void linkFamily(String ssoSessionId, String familyId, String clientId, Instant now);

    /** The families the session started, oldest first. */
    List<Link> families(String ssoSessionId);

    /** The session that started {@code familyId}, if one did. */
    Optional<String> sessionOfFamily(String familyId);

    /** Ends the session if it is not ended yet; true when this call ended it. */
    boolean end(String id, String reason, Instant now);

    /** Ends every live session of the user; returns the ids of those this call ended. */
    List<String> endAllForUser(String userId, String reason, Instant now);

    /** Deletes sessions (and their links) that expired or ended before {@code before}; returns how many. */
    int deleteExpired(Instant before);

    record Link(String familyId, String clientId) {}
}
