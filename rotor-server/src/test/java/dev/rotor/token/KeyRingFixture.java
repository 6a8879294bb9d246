package dev.rotor.token;

import com.nimbusds.jose.jwk.JWKSet;
import dev.rotor.crypto.Sealer;
import dev.rotor.session.MutableClock;
import dev.rotor.store.JdbcSigningKeyStore;
import dev.rotor.store.SqliteDatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Signing keys on a real SQLite file in a temporary directory, under a fixed master key and a test clock. */
final class KeyRingFixture implements AutoCloseable {
    static final Duration ACCESS_TTL = Duration.ofMinutes(15);
    static final String ISSUER = "https://auth.example.test";
    static final String AUDIENCE = "https://api.example.test";

    final MutableClock clock = new MutableClock();
    final SecureRandom random = new SecureRandom();
    final Sealer sealer = new Sealer(new byte[32], random);
    final SqliteDatabase db;
    final JdbcSigningKeyStore store;

    KeyRingFixture(Path dir) {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        store = new JdbcSigningKeyStore(db);
    }

    KeyRing ring(String alg, Duration rotationInterval) {
        return new KeyRing(store, sealer, clock, alg, ACCESS_TTL, rotationInterval);
    }

    KeyRing started(String alg) {
        KeyRing ring = ring(alg, Duration.ZERO);
        ring.start();
        return ring;
    }

    AccessTokens tokens(KeyRing ring) {
        return new AccessTokens(ring, clock, random, ISSUER, AUDIENCE, ACCESS_TTL);
    }

    SigningKey key(SigningKey.State state) {
        List<SigningKey> keys = store.list().stream().filter(k -> k.state() == state).toList();
        if (keys.size() != 1) throw new AssertionError("expected one " + state + " key, found " + keys);
        return keys.getFirst();
    }

    static Set<String> publishedKids(KeyRing ring) {
        try {
            return JWKSet.parse(ring.jwksJson()).getKeys().stream().map(k -> k.getKeyID()).collect(Collectors.toSet());
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
