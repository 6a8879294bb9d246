package dev.rotor.token;

import java.time.Instant;
import java.util.List;

/** Persistence of signing keys. */
public interface SigningKeyStore {
    /** Every key, retired ones included, newest first. */
    List<SigningKey> list();

    /**
     * Inserts the first active key and its successor, atomically, only if no active key exists yet (two nodes
     * starting at once create one pair between them). Returns false when keys already existed.
     */
    boolean initialize(SigningKey active, SigningKey next);

    /**
     * One rotation, atomically and only if {@code expectedActiveKid} is still the active key (so that concurrent
     * rotations from several nodes rotate once): retiring keys past their {@code retireAt} become retired and lose
     * their private part; the active key becomes retiring until {@code retireAt} and loses its private part; the next
     * key becomes active;
     * {@code newNext} is inserted as the next key. Returns false when another rotation won.
     */
    boolean rotate(String expectedActiveKid, SigningKey newNext, Instant now, Instant retireAt);

    /** Retires retiring keys whose {@code retireAt} has passed; returns how many. */
    int retireExpired(Instant now);

    /** Retires the retiring key {@code kid} now, ahead of its time; false when it is not a retiring key. */
    boolean retireNow(String kid, Instant now);
}
