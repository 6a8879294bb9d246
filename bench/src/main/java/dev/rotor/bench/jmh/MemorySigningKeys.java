package dev.rotor.bench.jmh;

import dev.rotor.token.SigningKey;
import dev.rotor.token.SigningKeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A minimal in-memory key store, so the signing benchmark measures signing and not the database. */
final class MemorySigningKeys implements SigningKeyStore {
    private final List<SigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<SigningKey> list() {
        return List.copyOf(keys);
    }

    @Override
    public synchronized boolean initialize(SigningKey active, SigningKey next) {
        if (!keys.isEmpty()) return false;
        keys.add(active);
        keys.add(next);
        return true;
    }

    @Override
    public boolean rotate(String expectedActiveKid, SigningKey newNext, Instant now, Instant retireAt) {
        throw new UnsupportedOperationException("not measured");
    }

    @Override
    public int retireExpired(Instant now) {
        return 0;
    }

    @Override
    public boolean retireNow(String kid, Instant now) {
        throw new UnsupportedOperationException("not measured");
    }
}
