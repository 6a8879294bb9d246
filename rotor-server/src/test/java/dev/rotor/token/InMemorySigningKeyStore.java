package dev.rotor.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link SigningKeyStore} in memory for unit tests of code that issues and verifies tokens; it does not rotate. */
public final class InMemorySigningKeyStore implements SigningKeyStore {
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
        throw new UnsupportedOperationException("rotation is tested on the real stores (SigningKeyStoreContract)");
    }

    @Override
    public int retireExpired(Instant now) {
        return 0;
    }

    @Override
    public boolean retireNow(String kid, Instant now) {
        throw new UnsupportedOperationException("retirement is tested on the real stores (SigningKeyStoreContract)");
    }
}
