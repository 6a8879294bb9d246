package dev.rotor.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Named 256-bit server secrets (the refresh-token MAC key), created on first use by whichever node comes first and
 * then read by all: each is sealed under the master key and bound to its name.
 */
public final class ServerSecrets {
    public static final String REFRESH_TOKEN_MAC = "refresh_token_mac";
    /** Seals the handles that the hosted sign-in and consent pages carry between requests. */
    public static final String INTERACTION_SEAL = "interaction_seal";
    /** Signs the CSRF tokens of the hosted pages' forms. */
    public static final String PAGE_CSRF = "page_csrf";

    private final SecretStore store;
    private final Sealer sealer;
    private final SecureRandom random;
    private final Clock clock;

    public ServerSecrets(SecretStore store, Sealer sealer, SecureRandom random, Clock clock) {
        this.store = store;
        this.sealer = sealer;
        this.random = random;
        this.clock = clock;
    }

    /** The secret {@code name}, made and stored if no node has made it yet. */
    public byte[] getOrCreate(String name) {
        byte[] aad = ("rotor-secret:" + name).getBytes(StandardCharsets.US_ASCII);
        if (store.find(name).isEmpty()) {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            store.insertIfAbsent(name, sealer.seal(fresh, aad), clock.instant());
        }
        byte[] sealed = store.find(name).orElseThrow(() -> new IllegalStateException("server secret " + name + " was not stored"));
        try {
            return sealer.open(sealed, aad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("server secret " + name + " does not open under this master key: "
                    + "is this the master key the database was created with?");
        }
    }
}
