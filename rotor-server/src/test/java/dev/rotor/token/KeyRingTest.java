package dev.rotor.token;

import static dev.rotor.token.KeyRingFixture.ACCESS_TTL;
import static dev.rotor.token.KeyRingFixture.publishedKids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rotor.crypto.Sealer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTest {
    /** KeyRing keeps a rotated-out key published this long: the token lifetime, two reload periods and a minute. */
    private static final Duration OVERLAP = ACCESS_TTL.plus(KeyRing.RELOAD.multipliedBy(2)).plus(Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private KeyRingFixture fx;

    @BeforeEach
    void open() {
        fx = new KeyRingFixture(dir);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private static AccessTokenRequest alice() {
        return new AccessTokenRequest("user-1", "spa", "openid", "sid-1", null, List.of("pwd"), "1", Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ES256", "RS256", "EdDSA"})
    void startCreatesActiveAndNextAndPublishesBothWithoutPrivateParts(String alg) throws Exception {
        KeyRing ring = fx.started(alg);

        SigningKey active = fx.key(SigningKey.State.ACTIVE);
        SigningKey next = fx.key(SigningKey.State.NEXT);
        assertThat(fx.store.list()).hasSize(2);
        assertThat(active.alg()).isEqualTo(alg);
        assertThat(next.alg()).isEqualTo(alg);
        assertThat(active.activatedAt()).isEqualTo(fx.clock.instant());
        assertThat(next.activatedAt()).isNull();
        assertThat(active.privateSealed()).isNotNull();
        assertThat(next.privateSealed()).as("the next key is ready to sign when it is promoted").isNotNull();
        assertThat(ring.isLoaded()).isTrue();
        assertThat(ring.activeKey().kid()).isEqualTo(active.kid());

        JWKSet jwks = JWKSet.parse(ring.jwksJson());
        assertThat(jwks.getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(active.kid(), next.kid());
        assertThat(jwks.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(jwks.getKeys()).allSatisfy(k -> assertThat(k.getAlgorithm().getName()).isEqualTo(alg));
        // No private member of any key type (EC/OKP d; RSA d, p, q, dp, dq, qi) appears in the document or the store.
        for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
            assertThat(ring.jwksJson()).doesNotContain(member);
            assertThat(active.publicJwk()).doesNotContain(member);
            assertThat(next.publicJwk()).doesNotContain(member);
        }
    }

    @Test
    void startWhenKeysExistThenReusesThem() {
        fx.started("ES256");
        SigningKey active = fx.key(SigningKey.State.ACTIVE);

        KeyRing secondNode = fx.started("ES256");

        assertThat(fx.store.list()).hasSize(2);
        assertThat(secondNode.activeKey().kid()).isEqualTo(active.kid());
    }

    @Test
    void startWhenMasterKeyIsWrongThenRefusesToLoad() {
        fx.started("ES256");
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        KeyRing wrongKey = new KeyRing(fx.store, new Sealer(otherKey, new SecureRandom()), fx.clock, "ES256", ACCESS_TTL, Duration.ZERO);

        assertThatThrownBy(wrongKey::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("master key");
    }

    @Test
    void currentWhenNotStartedThenIllegalState() {
        KeyRing ring = fx.ring("ES256", Duration.ZERO);

        assertThat(ring.isLoaded()).isFalse();
        assertThatThrownBy(ring::jwksJson).isInstanceOf(IllegalStateException.class);
        assertThat(fx.tokens(ring).verify("a.b.c")).isEmpty();
    }

    @Test
    void rotateMakesNextActiveKeepsOldRetiringAndPublishesANewNext() throws Exception {
        KeyRing ring = fx.started("ES256");
        SigningKey oldActive = fx.key(SigningKey.State.ACTIVE);
        SigningKey oldNext = fx.key(SigningKey.State.NEXT);
        fx.clock.advance(Duration.ofHours(1));
        Instant now = fx.clock.instant();

        SigningKey nowActive = ring.rotate(false);

        assertThat(nowActive.kid()).isEqualTo(oldNext.kid());
        assertThat(nowActive.activatedAt()).isEqualTo(now);
        SigningKey retiring = fx.key(SigningKey.State.RETIRING);
        assertThat(retiring.kid()).isEqualTo(oldActive.kid());
        assertThat(retiring.privateSealed()).as("a retiring key never signs again: its private part is gone").isNull();
        assertThat(retiring.retireAt()).isEqualTo(now.plus(OVERLAP));
        SigningKey newNext = fx.key(SigningKey.State.NEXT);
        assertThat(newNext.kid()).isNotIn(oldActive.kid(), oldNext.kid());
        assertThat(fx.key(SigningKey.State.ACTIVE).kid()).isEqualTo(oldNext.kid());
        assertThat(publishedKids(ring)).containsExactlyInAnyOrder(oldActive.kid(), oldNext.kid(), newNext.kid());
        // New tokens are signed by the promoted key.
        String token = fx.tokens(ring).issue(alice()).value();
        assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(oldNext.kid());
    }

    @Test
    void rotateWhenTheNextKeyIsNewerThanAJwksCacheLifetimeThenRefusedUnlessForced() {
        KeyRing ring = fx.started("ES256");
        SigningKey next = fx.key(SigningKey.State.NEXT);
        Instant knownFrom = next.createdAt().plus(KeyRing.RELOAD).plus(KeyRing.JWKS_MAX_AGE);
        fx.clock.set(knownFrom.minusMillis(1));

        assertThatThrownBy(() -> ring.rotate(false)).isInstanceOf(IllegalStateException.class).hasMessageContaining("--force");
        assertThat(fx.key(SigningKey.State.NEXT).kid()).as("nothing rotated").isEqualTo(next.kid());

        fx.clock.set(knownFrom);
        assertThat(ring.rotate(false).kid()).isEqualTo(next.kid());
        // The key just generated as next is brand new: a second rotation right away needs --force.
        SigningKey newNext = fx.key(SigningKey.State.NEXT);
        assertThatThrownBy(() -> ring.rotate(false)).isInstanceOf(IllegalStateException.class);
        assertThat(ring.rotate(true).kid()).isEqualTo(newNext.kid());
    }

    @Test
    void retireNowWithdrawsARetiringKeyAtOnceAndRefusesAnyOtherKey() throws Exception {
        KeyRing ring = fx.started("ES256");
        SigningKey oldActive = fx.key(SigningKey.State.ACTIVE);
        String signedByOld = fx.tokens(ring).issue(alice()).value();
        ring.rotate(true);
        SigningKey active = fx.key(SigningKey.State.ACTIVE);
        SigningKey next = fx.key(SigningKey.State.NEXT);
        assertThat(fx.tokens(ring).verify(signedByOld)).as("still published while retiring").isPresent();

        assertThatThrownBy(() -> ring.retireNow(active.kid())).isInstanceOf(IllegalStateException.class).hasMessageContaining("rotate");
        assertThatThrownBy(() -> ring.retireNow(next.kid())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ring.retireNow("no-such-kid")).isInstanceOf(IllegalArgumentException.class);

        ring.retireNow(oldActive.kid());

        SigningKey retired = fx.store.list().stream().filter(k -> k.kid().equals(oldActive.kid())).findFirst().orElseThrow();
        assertThat(retired.state()).isEqualTo(SigningKey.State.RETIRED);
        assertThat(retired.privateSealed()).as("private part deleted").isNull();
        assertThat(publishedKids(ring)).containsExactlyInAnyOrder(active.kid(), next.kid());
        assertThat(fx.tokens(ring).verify(signedByOld)).as("tokens of a withdrawn key stop verifying").isEmpty();
        assertThat(fx.tokens(ring).verify(fx.tokens(ring).issue(alice()).value())).isPresent();
        assertThatThrownBy(() -> ring.retireNow(oldActive.kid())).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
    }

    @Test
    void reloadAfterRetireTimeRetiresTheOldKeyAndDropsItFromTheJwks() {
        KeyRing ring = fx.started("ES256");
        SigningKey oldActive = fx.key(SigningKey.State.ACTIVE);
        ring.rotate(true);
        Instant retireAt = fx.key(SigningKey.State.RETIRING).retireAt();

        fx.clock.set(retireAt.minusMillis(1));
        ring.reload();
        assertThat(fx.key(SigningKey.State.RETIRING).kid()).isEqualTo(oldActive.kid());
        assertThat(publishedKids(ring)).contains(oldActive.kid());

        fx.clock.set(retireAt);
        ring.reload();

        SigningKey retired = fx.key(SigningKey.State.RETIRED);
        assertThat(retired.kid()).isEqualTo(oldActive.kid());
        assertThat(retired.privateSealed()).as("a retired key loses its private half").isNull();
        assertThat(publishedKids(ring)).hasSize(2).doesNotContain(oldActive.kid());
    }

    @Test
    void reloadWhenRotationIntervalPassedThenRotatesAutomatically() {
        KeyRing ring = fx.ring("ES256", Duration.ofDays(30));
        ring.start();
        SigningKey first = fx.key(SigningKey.State.ACTIVE);
        SigningKey next = fx.key(SigningKey.State.NEXT);

        fx.clock.advance(Duration.ofDays(30).minusMillis(1));
        ring.reload();
        assertThat(fx.key(SigningKey.State.ACTIVE).kid()).isEqualTo(first.kid());

        fx.clock.advance(Duration.ofMillis(1));
        ring.reload();

        assertThat(fx.key(SigningKey.State.ACTIVE).kid()).isEqualTo(next.kid());
        assertThat(ring.activeKey().kid()).isEqualTo(next.kid());
        assertThat(fx.key(SigningKey.State.RETIRING).kid()).isEqualTo(first.kid());

        // The interval counts from the new key's activation.
        fx.clock.advance(Duration.ofDays(29));
        ring.reload();
        assertThat(ring.activeKey().kid()).isEqualTo(next.kid());
    }

    @Test
    void reloadWhenRotationDisabledThenNeverRotates() {
        KeyRing ring = fx.started("ES256");
        SigningKey first = fx.key(SigningKey.State.ACTIVE);

        fx.clock.advance(Duration.ofDays(3650));
        ring.reload();

        assertThat(ring.activeKey().kid()).isEqualTo(first.kid());
        assertThat(fx.store.list()).hasSize(2);
    }

    @Test
    void reloadOnTwoNodesWhenRotationDueThenRotatesOnce() {
        KeyRing node1 = fx.ring("ES256", Duration.ofDays(1));
        KeyRing node2 = fx.ring("ES256", Duration.ofDays(1));
        node1.start();
        node2.start();
        SigningKey next = fx.key(SigningKey.State.NEXT);

        fx.clock.advance(Duration.ofDays(1));
        node1.reload();
        node2.reload();

        assertThat(fx.store.list()).hasSize(3);
        assertThat(node1.activeKey().kid()).isEqualTo(next.kid());
        assertThat(node2.activeKey().kid()).isEqualTo(next.kid());
    }

    @Test
    void tokenSignedBeforeRotationStillVerifiesAfterItOnEveryNode() {
        KeyRing node1 = fx.started("ES256");
        KeyRing node2 = fx.started("ES256");
        String before = fx.tokens(node1).issue(alice()).value();

        fx.clock.advance(Duration.ofMinutes(6));
        node1.rotate(false);
        node2.reload();

        assertThat(fx.tokens(node1).verify(before)).isPresent();
        assertThat(fx.tokens(node2).verify(before)).isPresent();
        // And a token from the new key verifies on the node that has not signed with it yet.
        assertThat(fx.tokens(node2).verify(fx.tokens(node1).issue(alice()).value())).isPresent();
    }

    @Test
    void tokenSignedWithTheNextKeyVerifiesBeforeThatKeyIsActiveOnAnotherNode() {
        KeyRing node1 = fx.started("ES256");
        KeyRing node2 = fx.started("ES256");

        node1.rotate(true); // node2 has not reloaded yet: it knows the promoted key only as "next"

        assertThat(fx.tokens(node2).verify(fx.tokens(node1).issue(alice()).value())).isPresent();
    }
}
