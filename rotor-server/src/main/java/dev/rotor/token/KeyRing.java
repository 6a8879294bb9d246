package dev.rotor.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.config.KeySchedule;
import dev.rotor.crypto.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys a node uses: the active key signs; next, active and retiring keys are published in the JWKS.
 * Every node reloads the ring from the store every {@link #RELOAD}, so a rotation made by the CLI or another
 * node reaches all of them; a retiring key stays published long enough to cover tokens signed in that gap.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    /** {@link KeySchedule#RELOAD}: how often every node reloads its keys. */
    public static final Duration RELOAD = KeySchedule.RELOAD;
    /** {@link KeySchedule#JWKS_MAX_AGE}: how long resource servers may cache the JWKS. */
    public static final Duration JWKS_MAX_AGE = KeySchedule.JWKS_MAX_AGE;
    /** {@link KeySchedule#NEXT_KEY_LEAD}: how long a next key must have been published before it may sign. */
    public static final Duration NEXT_KEY_LEAD = KeySchedule.NEXT_KEY_LEAD;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final SigningKeyStore store;
    private final Sealer sealer;
    private final Clock clock;
    private final String alg;
    private final Duration accessTtl;
    private final Duration rotationInterval;
    private volatile Loaded loaded;

    /** The active signer with its header fields, and the verifiers for every published key. */
    record Loaded(SigningKey active, JWSSigner signer, JWSHeader header, Map<String, JWSVerifier> verifiers,
                  Map<String, JWSAlgorithm> algorithms, String jwksJson) {}

    /**
     * @param alg              algorithm for newly generated keys
     * @param rotationInterval automatic rotation period; zero disables it
     */
    public KeyRing(SigningKeyStore store, Sealer sealer, Clock clock, String alg, Duration accessTtl, Duration rotationInterval) {
        this.store = store;
        this.sealer = sealer;
        this.clock = clock;
        this.alg = alg;
        this.accessTtl = accessTtl;
        this.rotationInterval = rotationInterval;
    }

    /** Creates the first keys if there are none, then loads the ring. */
    public void start() {
        if (store.list().stream().noneMatch(k -> k.state() == SigningKey.State.ACTIVE)) {
            Instant now = clock.instant();
            if (store.initialize(newKey(SigningKey.State.ACTIVE, now), newKey(SigningKey.State.NEXT, now))) {
                LOG.info("generated the first {} signing key and its successor", alg);
            }
        }
        reload();
    }

    /** Re-reads keys from the store; called on a schedule, also runs the automatic rotation when it is due. */
    public void reload() {
        Instant now = clock.instant();
        store.retireExpired(now);
        if (loaded != null && !rotationInterval.isZero() && loaded.active.activatedAt() != null
                && !now.isBefore(loaded.active.activatedAt().plus(rotationInterval))) {
            rotate(loaded.active.kid());
        }
        loaded = load(store.list());
    }

    /**
     * Rotates now (the CLI's {@code keys rotate}); returns the newly active key. Unless {@code force}, refused while
     * the next key is younger than a JWKS cache lifetime plus a reload: a resource server holding a JWKS fetched
     * before that key was published would reject every token it signs.
     */
    public SigningKey rotate(boolean force) {
        List<SigningKey> keys = store.list();
        SigningKey active = keys.stream().filter(k -> k.state() == SigningKey.State.ACTIVE).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active signing key; start the server once first"));
        Instant knownFrom = keys.stream().filter(k -> k.state() == SigningKey.State.NEXT).findFirst()
                .map(k -> k.createdAt().plus(NEXT_KEY_LEAD)).orElse(Instant.MIN);
        if (!force && clock.instant().isBefore(knownFrom)) {
            throw new IllegalStateException("the next signing key was published less than " + NEXT_KEY_LEAD.toSeconds()
                    + " s ago (JWKS cache time plus a reload), and resource servers may still hold a JWKS without it; rotate after " + knownFrom
                    + ", or now with --force (tokens it signs may be refused until their JWKS cache expires)");
        }
        rotate(active.kid());
        loaded = load(store.list());
        return loaded.active;
    }

    private void rotate(String expectedActiveKid) {
        Instant now = clock.instant();
        // Nodes may keep signing with the old key until their next reload; cover that and clock skew.
        Instant retireAt = now.plus(accessTtl).plus(RELOAD.multipliedBy(2)).plus(Duration.ofMinutes(1));
        if (store.rotate(expectedActiveKid, newKey(SigningKey.State.NEXT, now), now, retireAt)) {
            LOG.info("rotated signing keys: {} is retiring until {}", expectedActiveKid, retireAt);
        }
    }

    /**
     * Withdraws a retiring key at once (a leaked key, say): it leaves the JWKS and its private part is deleted, so
     * tokens it signed stop verifying, on every node within a reload. Only a retiring key: the active one must be
     * rotated away first, and retiring the next key would leave nothing to rotate to.
     */
    public void retireNow(String kid) {
        SigningKey key = store.list().stream().filter(k -> k.kid().equals(kid)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no signing key " + kid));
        switch (key.state()) {
            case ACTIVE -> throw new IllegalStateException("key " + kid + " is active: rotate it away first (keys rotate --force)");
            case NEXT -> throw new IllegalStateException("key " + kid + " is the next key: rotate twice to replace it, then retire it");
            case RETIRED -> throw new IllegalStateException("key " + kid + " is already retired");
            case RETIRING -> {
                if (store.retireNow(kid, clock.instant())) LOG.warn("signing key {} retired ahead of time: tokens it signed no longer verify", kid);
            }
        }
        loaded = load(store.list());
    }

    public List<SigningKey> list() {
        return store.list();
    }

    SigningKey activeKey() {
        return current().active;
    }

    Loaded current() {
        Loaded l = loaded;
        if (l == null) throw new IllegalStateException("key ring not started");
        return l;
    }

    /**
     * True when {@code jwt} names a published key ({@code kid}), uses the algorithm that key was made for and carries
     * that key's valid signature. The key decides the algorithm, never the token header (no alg confusion, no "none").
     */
    boolean verifies(SignedJWT jwt) throws JOSEException {
        Loaded ring = current();
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) return false;
        JWSVerifier verifier = ring.verifiers().get(kid);
        JWSAlgorithm expected = ring.algorithms().get(kid);
        return verifier != null && jwt.getHeader().getAlgorithm().equals(expected) && jwt.verify(verifier);
    }

    /** The JWKS document (RFC 7517): next, active and retiring public keys. */
    public String jwksJson() {
        return current().jwksJson;
    }

    public boolean isLoaded() {
        return loaded != null;
    }

    private SigningKey newKey(SigningKey.State state, Instant now) {
        String kid = UUID.randomUUID().toString();
        try {
            JWK jwk = KeyMaterial.generate(alg, kid);
            byte[] sealed = sealer.seal(jwk.toJSONString().getBytes(StandardCharsets.UTF_8), aad(kid));
            return new SigningKey(kid, alg, state, jwk.toPublicJWK().toJSONString(), sealed, now,
                    state == SigningKey.State.ACTIVE ? now : null, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key: " + e.getMessage(), e);
        }
    }

    private Loaded load(List<SigningKey> keys) {
        SigningKey active = null;
        JWSSigner signer = null;
        Map<String, JWSVerifier> verifiers = new HashMap<>();
        Map<String, JWSAlgorithm> algorithms = new HashMap<>();
        List<JWK> published = new ArrayList<>();
        try {
            for (SigningKey k : keys) {
                if (!k.isPublished()) continue;
                JWK pub = KeyMaterial.parse(k.publicJwk());
                published.add(pub);
                verifiers.put(k.kid(), KeyMaterial.verifier(pub));
                algorithms.put(k.kid(), JWSAlgorithm.parse(k.alg()));
                if (k.state() == SigningKey.State.ACTIVE) {
                    active = k;
                    signer = KeyMaterial.signer(KeyMaterial.parse(new String(sealer.open(k.privateSealed(), aad(k.kid())), StandardCharsets.UTF_8)));
                    // Without this, Nimbus makes a new SecureRandom for every ECDSA signature.
                    signer.getJCAContext().setSecureRandom(RANDOM);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt the active signing key: wrong master key?", e);
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException("a stored signing key is corrupt: " + e.getMessage(), e);
        }
        if (active == null) throw new IllegalStateException("no active signing key");
        // The header is the same for every token the active key signs (RFC 9068: typ at+jwt); built once here.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(active.alg())).keyID(active.kid()).type(AccessTokens.AT_JWT).build();
        return new Loaded(active, signer, header, Map.copyOf(verifiers), Map.copyOf(algorithms), new JWKSet(published).toString(true));
    }

    /**
     * Throws unless the master key opens the active signing key in the store (nothing to check while there is none):
     * checked before anything new is sealed, so that a wrong key never seals a value beside keys sealed under the
     * right one.
     */
    public void checkMasterKey() {
        for (SigningKey k : store.list()) {
            if (k.state() != SigningKey.State.ACTIVE || k.privateSealed() == null) continue;
            try {
                sealer.open(k.privateSealed(), aad(k.kid()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the master key does not open the signing keys in the database: is this the master key "
                        + "the database was created with? (ROTOR_MASTER_KEY or the master key file)");
            }
            return;
        }
    }

    private static byte[] aad(String kid) {
        return ("rotor-key:" + kid).getBytes(StandardCharsets.UTF_8);
    }
}
