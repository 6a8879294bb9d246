package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.Decision;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenStore;
import dev.rotor.session.RefreshTokens;
import dev.rotor.session.RotationAttempt;
import dev.rotor.session.RotationResult;
import dev.rotor.session.RotationRules;
import dev.rotor.session.Session;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RefreshTokenStore} must have (DESIGN.md §4), against the port only. Run by one
 * subclass per backend, which opens a fresh, empty store for each test.
 */
public abstract class RefreshTokenStoreContract {
    protected static final String CLIENT = "spa";
    protected static final String OTHER_CLIENT = "cli";
    protected static final String USER = "user-1";
    protected static final Duration SESSION_TTL = Duration.ofDays(7);
    protected static final Duration GRACE = Duration.ofSeconds(10);
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final RequestInfo ATTACKER = new RequestInfo("198.51.100.9", "curl/8.5");
    private static final RequestInfo PHONE = new RequestInfo("192.0.2.44", "Mobile Safari/604.1");

    protected final MutableClock clock = new MutableClock();
    private final SecureRandom random = new SecureRandom();
    private final RotationRules rules = new RotationRules(GRACE, SESSION_TTL);
    private final RotationRules strict = new RotationRules(Duration.ZERO, SESSION_TTL);
    private RefreshTokenStore store;

    /** A fresh, empty store. */
    protected abstract RefreshTokenStore openStore() throws Exception;

    /** Makes the user and client exist where the backend has foreign keys; a no-op elsewhere. */
    protected abstract void ensureUserAndClient(String userId, String clientId);

    /** Every audit event the store appended, oldest first. */
    protected abstract List<AuditEvent> auditEvents();

    protected void closeStore() throws Exception {}

    @BeforeEach
    void openFreshStore() throws Exception {
        store = openStore();
        ensureUserAndClient(USER, CLIENT);
        ensureUserAndClient("user-2", OTHER_CLIENT);
    }

    @AfterEach
    void close() throws Exception {
        closeStore();
    }

    private record Family(Session session, String firstToken) {}

    private Family create(String userId, String clientId) {
        Instant now = clock.instant();
        RefreshTokens.NewToken first = RefreshTokens.generate(random);
        Session s = new Session(UUID.randomUUID().toString(), userId, clientId, "openid profile", now, now.plus(SESSION_TTL), now, now,
                List.of("pwd", "otp"), "2", LAPTOP.ip(), LAPTOP.userAgent(), LAPTOP.ip(), LAPTOP.userAgent(), 0, null, null);
        store.create(s, first.hash(), AuditEvent.of(now, "session.created", userId, s.id(), clientId, LAPTOP, Map.of()));
        return new Family(s, first.plaintext());
    }

    private Family create() {
        return create(USER, CLIENT);
    }

    private record Attempt(RotationAttempt attempt, RefreshTokens.NewToken successor, byte[] sealed) {}

    private Attempt attempt(String presented, String clientId, RequestInfo request) {
        RefreshTokens.NewToken successor = RefreshTokens.generate(random);
        byte[] sealed = new byte[44];
        random.nextBytes(sealed);
        return new Attempt(new RotationAttempt(RefreshTokens.hash(presented), clientId, clock.instant(), request, successor, sealed),
                successor, sealed);
    }

    private RotationResult rotate(String presented) {
        return store.rotate(attempt(presented, CLIENT, LAPTOP).attempt(), rules);
    }

    /** Rotates and returns the successor's plaintext. */
    private String rotateOk(String presented) {
        Attempt a = attempt(presented, CLIENT, LAPTOP);
        assertThat(store.rotate(a.attempt(), rules).decision()).isEqualTo(Decision.ROTATE);
        return a.successor().plaintext();
    }

    @Test
    void createThenFindByIdAndByTokenHash() {
        Family f = create();

        assertThat(store.find(f.session().id())).contains(f.session());
        assertThat(store.findByTokenHash(RefreshTokens.hash(f.firstToken()))).contains(f.session());
        assertThat(store.find("no-such-session")).isEmpty();
        assertThat(store.findByTokenHash(RefreshTokens.hash(RefreshTokens.generate(random).plaintext()))).isEmpty();
    }

    @Test
    void rotateWhenCurrentThenMarksUsedInsertsSuccessorAndTouchesFamily() {
        Family f = create();
        clock.advance(Duration.ofMinutes(5));
        Attempt a = attempt(f.firstToken(), CLIENT, ATTACKER);

        RotationResult r = store.rotate(a.attempt(), rules);

        assertThat(r.decision()).isEqualTo(Decision.ROTATE);
        assertThat(r.token().isUsed()).as("the token as read, before the step").isFalse();
        assertThat(r.session().generation()).isEqualTo(1);
        assertThat(r.session().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(r.session().lastIp()).isEqualTo(ATTACKER.ip());
        Session stored = store.find(f.session().id()).orElseThrow();
        assertSameFamily(r.session(), stored);
        assertThat(stored.generation()).isEqualTo(1);
        assertThat(stored.lastUsedAt()).isEqualTo(clock.instant());
        assertThat(stored.lastIp()).isEqualTo(ATTACKER.ip());
        assertThat(stored.lastUserAgent()).isEqualTo(ATTACKER.userAgent());
        assertThat(stored.expiresAt()).isEqualTo(f.session().expiresAt());
        assertThat(stored.createdAt()).isEqualTo(f.session().createdAt());
        assertThat(stored.createdIp()).isEqualTo(LAPTOP.ip());
        // The used token keeps its row (reuse detection needs it); the successor belongs to the same family.
        assertThat(store.findByTokenHash(RefreshTokens.hash(f.firstToken()))).map(Session::id).contains(f.session().id());
        assertThat(store.findByTokenHash(a.successor().hash())).map(Session::id).contains(f.session().id());
    }

    @Test
    void rotateChainOfFive() {
        Family f = create();
        String token = f.firstToken();
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofMinutes(15));
            Attempt a = attempt(token, CLIENT, LAPTOP);
            RotationResult r = store.rotate(a.attempt(), rules);
            assertThat(r.decision()).isEqualTo(Decision.ROTATE);
            assertThat(r.token().generation()).isEqualTo(i - 1);
            assertThat(r.session().generation()).isEqualTo(i);
            token = a.successor().plaintext();
        }
        assertThat(store.find(f.session().id())).get().extracting(Session::generation).isEqualTo(5);
    }

    @Test
    void rotateWhenRetriedWithinGraceThenGraceReplayOfTheSameSealedSuccessor() {
        Family f = create();
        Attempt first = attempt(f.firstToken(), CLIENT, LAPTOP);
        store.rotate(first.attempt(), rules);

        clock.advance(Duration.ofSeconds(4));
        RotationResult retry = store.rotate(attempt(f.firstToken(), CLIENT, LAPTOP).attempt(), rules);

        assertThat(retry.decision()).isEqualTo(Decision.GRACE_REPLAY);
        assertThat(retry.token().successorHash()).isEqualTo(first.successor().hash());
        assertThat(retry.token().graceSealed()).isEqualTo(first.sealed());
        assertThat(retry.token().graceUntil()).isEqualTo(MutableClock.T0.plus(GRACE));
        assertThat(retry.session().generation()).isEqualTo(1);
        assertThat(retry.session().lastUsedAt()).isEqualTo(clock.instant());
        assertThat(store.find(f.session().id())).get().extracting(Session::lastUsedAt).isEqualTo(clock.instant());
        // Not forked: the first successor is still the current token.
        assertThat(rotate(first.successor().plaintext()).decision()).isEqualTo(Decision.ROTATE);
    }

    @Test
    void rotateWhenReplayedAfterGraceThenReuseRevokesFamilyWipesSecretsAndAuditsBothUses() {
        Family f = create();
        Attempt first = attempt(f.firstToken(), CLIENT, LAPTOP);
        store.rotate(first.attempt(), rules);

        clock.advance(GRACE);
        RotationResult reuse = store.rotate(attempt(f.firstToken(), CLIENT, ATTACKER).attempt(), rules);

        assertThat(reuse.decision()).isEqualTo(Decision.REUSE);
        assertThat(reuse.session().revokedAt()).isEqualTo(clock.instant());
        assertThat(reuse.session().revokeReason()).isEqualTo("refresh_token_reuse");
        assertThat(store.find(f.session().id())).get().satisfies(s -> {
            assertThat(s.revokedAt()).isEqualTo(clock.instant());
            assertThat(s.revokeReason()).isEqualTo("refresh_token_reuse");
        });
        // The successor, still current for its holder, dies with the family.
        assertThat(rotate(first.successor().plaintext()).decision()).isEqualTo(Decision.REVOKED);
        // Grace secrets are wiped at revocation.
        assertThat(rotate(f.firstToken()).token().graceSealed()).isNull();
        AuditEvent event = auditEvents().stream().filter(e -> e.type().equals("refresh_token.reuse_detected")).findFirst().orElseThrow();
        assertThat(event.sessionId()).isEqualTo(f.session().id());
        assertThat(event.detail())
                .containsEntry("first_use_at", MutableClock.T0.toString())
                .containsEntry("first_use_ip", LAPTOP.ip())
                .containsEntry("first_use_user_agent", LAPTOP.userAgent())
                .containsEntry("reuse_at", clock.instant().toString())
                .containsEntry("reuse_ip", ATTACKER.ip())
                .containsEntry("reuse_user_agent", ATTACKER.userAgent());
    }

    @Test
    void rotateWhenATokenSeveralGenerationsOldIsReplayedThenReuseAuditsItsOwnFirstUse() {
        Family f = create();
        Attempt first = attempt(f.firstToken(), CLIENT, LAPTOP);
        store.rotate(first.attempt(), rules);
        Instant firstUse = clock.instant();
        String latest = first.successor().plaintext();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            Attempt next = attempt(latest, CLIENT, PHONE);
            assertThat(store.rotate(next.attempt(), rules).decision()).isEqualTo(Decision.ROTATE);
            latest = next.successor().plaintext();
        }

        RotationResult reuse = store.rotate(attempt(f.firstToken(), CLIENT, ATTACKER).attempt(), rules);

        assertThat(reuse.decision()).isEqualTo(Decision.REUSE);
        assertThat(rotate(latest).decision()).isEqualTo(Decision.REVOKED);
        AuditEvent event = auditEvents().stream().filter(e -> e.type().equals("refresh_token.reuse_detected")).findFirst().orElseThrow();
        assertThat(event.detail())
                .containsEntry("generation", "0")
                .containsEntry("family_generation", "4")
                .containsEntry("first_use_at", firstUse.toString())
                .containsEntry("first_use_ip", LAPTOP.ip())
                .containsEntry("reuse_ip", ATTACKER.ip());
    }

    @Test
    void rotateWhenReuseWithinGraceOfInnocentRetryThenStillOneWinnerPerToken() {
        Family f = create();
        String g1 = rotateOk(f.firstToken());
        rotateOk(g1);

        // g0's successor g1 is no longer current: a replay of g0, even within g0's grace window, is reuse.
        assertThat(rotate(f.firstToken()).decision()).isEqualTo(Decision.REUSE);
    }

    @Test
    void rotateWhenGraceZeroThenImmediateReplayIsReuse() {
        Family f = create();
        Attempt first = attempt(f.firstToken(), CLIENT, LAPTOP);
        assertThat(store.rotate(first.attempt(), strict).decision()).isEqualTo(Decision.ROTATE);

        RotationResult replay = store.rotate(attempt(f.firstToken(), CLIENT, LAPTOP).attempt(), strict);

        assertThat(replay.token().graceSealed()).as("no secret kept when grace is 0").isNull();
        assertThat(replay.token().graceUntil()).isNull();
        assertThat(replay.decision()).isEqualTo(Decision.REUSE);
    }

    @Test
    void rotateWhenUnknownThenUnknownWithNothingRead() {
        create();
        RotationResult r = rotate(RefreshTokens.generate(random).plaintext());

        assertThat(r.decision()).isEqualTo(Decision.UNKNOWN);
        assertThat(r.session()).isNull();
        assertThat(r.token()).isNull();
    }

    @Test
    void rotateWhenPastAbsoluteExpiryThenExpiredAndNothingChanges() {
        Family f = create();
        clock.set(f.session().expiresAt());

        assertThat(rotate(f.firstToken()).decision()).isEqualTo(Decision.EXPIRED);
        assertThat(store.find(f.session().id())).contains(f.session());
    }

    @Test
    void rotateWhenIdleTooLongThenExpired() {
        Family f = create();
        clock.advance(Duration.ofHours(1));

        RotationResult r = store.rotate(attempt(f.firstToken(), CLIENT, LAPTOP).attempt(), new RotationRules(GRACE, Duration.ofHours(1)));

        assertThat(r.decision()).isEqualTo(Decision.EXPIRED);
        assertThat(store.find(f.session().id())).contains(f.session());
    }

    @Test
    void rotateWhenOtherClientThenWrongClientAndTokenStaysCurrent() {
        Family f = create();

        RotationResult r = store.rotate(attempt(f.firstToken(), OTHER_CLIENT, ATTACKER).attempt(), rules);

        assertThat(r.decision()).isEqualTo(Decision.WRONG_CLIENT);
        assertThat(store.find(f.session().id())).contains(f.session());
        assertThat(rotate(f.firstToken()).decision()).isEqualTo(Decision.ROTATE);
    }

    @Test
    void rotateWhenUsedTokenPresentedByOtherClientThenWrongClientAndFamilySurvives() {
        Family f = create();
        String g1 = rotateOk(f.firstToken());
        clock.advance(Duration.ofMinutes(1));

        RotationResult r = store.rotate(attempt(f.firstToken(), OTHER_CLIENT, ATTACKER).attempt(), rules);

        assertThat(r.decision()).isEqualTo(Decision.WRONG_CLIENT);
        assertThat(rotate(g1).decision()).isEqualTo(Decision.ROTATE);
    }

    @Test
    void rotateWhenFamilyRevokedThenRevoked() {
        Family f = create();
        assertThat(store.revoke(f.session().id(), "logout", clock.instant(), event("session.revoked", f))).isTrue();

        assertThat(rotate(f.firstToken()).decision()).isEqualTo(Decision.REVOKED);
    }

    @Test
    void rotateWhenRacedThenExactlyOneAttemptRotates() throws Exception {
        Family f = create();
        int racers = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Decision>> tasks = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            Attempt a = attempt(f.firstToken(), CLIENT, LAPTOP);
            tasks.add(() -> {
                go.await();
                return store.rotate(a.attempt(), rules).decision();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Decision>> futures = tasks.stream().map(pool::submit).toList();
            go.countDown();
            List<Decision> decisions = new ArrayList<>();
            for (Future<Decision> fut : futures) decisions.add(fut.get());

            assertThat(decisions).filteredOn(d -> d == Decision.ROTATE).hasSize(1);
            assertThat(decisions).filteredOn(d -> d == Decision.GRACE_REPLAY).hasSize(racers - 1);
            assertThat(store.find(f.session().id())).get().extracting(Session::generation).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokeWhenLiveThenTrueOnceAndAudited() {
        Family f = create();
        int before = auditEvents().size();

        assertThat(store.revoke(f.session().id(), "logout", clock.instant(), event("session.revoked", f))).isTrue();
        assertThat(store.revoke(f.session().id(), "logout", clock.instant(), event("session.revoked", f))).isFalse();
        assertThat(store.revoke("no-such-session", "logout", clock.instant(), event("session.revoked", f))).isFalse();

        assertThat(store.find(f.session().id())).get().extracting(Session::revokeReason).isEqualTo("logout");
        assertThat(auditEvents()).hasSize(before + 1);
    }

    @Test
    void revokeWhenGraceSecretPresentThenWiped() {
        Family f = create();
        rotateOk(f.firstToken());
        store.revoke(f.session().id(), "logout", clock.instant(), event("session.revoked", f));

        RotationResult r = rotate(f.firstToken());
        assertThat(r.decision()).isEqualTo(Decision.REVOKED);
        assertThat(r.token().graceSealed()).isNull();
    }

    @Test
    void revokeAllForUserRevokesOnlyThatUsersLiveFamilies() {
        Family a = create();
        Family b = create();
        Family already = create();
        store.revoke(already.session().id(), "logout", clock.instant(), event("session.revoked", already));
        Family other = create("user-2", OTHER_CLIENT);

        int n = store.revokeAllForUser(USER, "logout_all", clock.instant(),
                AuditEvent.of(clock.instant(), "session.revoked_all", USER, null, null, LAPTOP, Map.of("reason", "logout_all")));

        assertThat(n).isEqualTo(2);
        assertThat(rotate(a.firstToken()).decision()).isEqualTo(Decision.REVOKED);
        assertThat(rotate(b.firstToken()).decision()).isEqualTo(Decision.REVOKED);
        assertThat(store.find(already.session().id())).get().extracting(Session::revokeReason).isEqualTo("logout");
        assertThat(store.find(other.session().id())).get().extracting(Session::isRevoked).isEqualTo(false);
        assertThat(auditEvents().getLast().detail()).containsEntry("sessions", "2").containsEntry("reason", "logout_all");
    }

    @Test
    void listForUserAndListActiveReturnLiveFamiliesNewestFirst() {
        Family older = create();
        clock.advance(Duration.ofSeconds(1));
        Family revoked = create();
        store.revoke(revoked.session().id(), "logout", clock.instant(), event("session.revoked", revoked));
        clock.advance(Duration.ofSeconds(1));
        Family newer = create();
        clock.advance(Duration.ofSeconds(1));
        Family other = create("user-2", OTHER_CLIENT);

        assertThat(store.listForUser(USER, clock.instant())).extracting(Session::id)
                .containsExactly(newer.session().id(), older.session().id());
        assertThat(store.listForUser("nobody", clock.instant())).isEmpty();
        assertThat(store.listActive(clock.instant(), 10)).extracting(Session::id)
                .containsExactly(other.session().id(), newer.session().id(), older.session().id());
        assertThat(store.listActive(clock.instant(), 2)).hasSize(2);
        // Past the absolute expiry nothing is listed.
        assertThat(store.listActive(older.session().expiresAt().plusSeconds(10), 10)).isEmpty();
    }

    @Test
    void wipeGraceSecretsWipesOnlySecretsOfTokensCreatedBeforeTheCutoff() {
        Family f = create();
        String g1 = rotateOk(f.firstToken());
        Instant g1Created = clock.instant();

        assertThat(store.wipeGraceSecrets(g1Created)).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(rotate(f.firstToken()).decision()).as("the secret is still there").isEqualTo(Decision.GRACE_REPLAY);

        assertThat(store.wipeGraceSecrets(g1Created.plusMillis(1))).isEqualTo(1);
        assertThat(store.wipeGraceSecrets(g1Created.plusMillis(1))).isZero();

        RotationResult replay = rotate(f.firstToken());
        assertThat(replay.token().graceSealed()).isNull();
        assertThat(replay.token().successorHash()).as("the rest of the row stays for reuse detection")
                .isEqualTo(RefreshTokens.hash(g1));
        assertThat(replay.decision()).isEqualTo(Decision.REUSE);
    }

    @Test
    void wipeGraceSecretsCalledAgainLaterWipesSecretsCreatedSince() {
        for (int round = 0; round < 3; round++) {
            Family f = create();
            rotateOk(f.firstToken());
            clock.advance(GRACE.plusSeconds(1));

            assertThat(store.wipeGraceSecrets(clock.instant().minus(GRACE))).as("round %d", round).isEqualTo(1);
            assertThat(rotate(f.firstToken()).token().graceSealed()).isNull();
        }
    }

    @Test
    void wipeGraceSecretsWhenManyTokensShareOneMillisecondThenWipesThemAll() throws Exception {
        // 2200 token rows (1100 first tokens, 1100 successors holding secrets) stamped in one millisecond: more
        // than one sweep chunk of the SQL store (2000), so a sweep that pages by created_at alone would skip some.
        int n = 1100;
        List<Family> families = inParallel(n, i -> create());
        inParallel(n, i -> rotateOk(families.get(i).firstToken()));

        assertThat(store.wipeGraceSecrets(clock.instant().plusMillis(1))).isEqualTo(n);
        for (Family f : List.of(families.getFirst(), families.get(n / 2), families.getLast())) {
            assertThat(rotate(f.firstToken()).token().graceSealed()).isNull();
        }
    }

    private static <T> List<T> inParallel(int n, java.util.function.IntFunction<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.apply(index)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deleteExpiredDeletesFamiliesPastTheCutoffWithAllTheirTokens() {
        Family expired = create();
        String g1 = rotateOk(expired.firstToken());
        clock.advance(Duration.ofDays(1));
        Family live = create();
        Family revoked = create();
        store.revoke(revoked.session().id(), "logout", clock.instant(), event("session.revoked", revoked));
        Instant cutoff = expired.session().expiresAt();

        assertThat(store.deleteExpired(cutoff)).as("exactly at expiry: not before the cutoff").isZero();
        assertThat(store.find(expired.session().id())).isPresent();

        assertThat(store.deleteExpired(cutoff.plusMillis(1))).isEqualTo(1);
        assertThat(store.find(expired.session().id())).isEmpty();
        assertThat(store.findByTokenHash(RefreshTokens.hash(expired.firstToken()))).isEmpty();
        assertThat(store.findByTokenHash(RefreshTokens.hash(g1))).isEmpty();
        assertThat(rotate(g1).decision()).isEqualTo(Decision.UNKNOWN);
        // A revoked family stays until its absolute expiry, for the audit trail.
        assertThat(store.find(revoked.session().id())).isPresent();
        assertThat(store.find(live.session().id())).isPresent();
        assertThat(rotate(live.firstToken()).decision()).isEqualTo(Decision.ROTATE);
    }

    /**
     * The fields of a rotation result's family that the grants read (ids, scope, lifetimes, the claims of the
     * access token). A store may leave the rest of the result's family unread.
     */
    private static void assertSameFamily(Session result, Session stored) {
        assertThat(result.id()).isEqualTo(stored.id());
        assertThat(result.userId()).isEqualTo(stored.userId());
        assertThat(result.clientId()).isEqualTo(stored.clientId());
        assertThat(result.scope()).isEqualTo(stored.scope());
        assertThat(result.expiresAt()).isEqualTo(stored.expiresAt());
        assertThat(result.lastUsedAt()).isEqualTo(stored.lastUsedAt());
        assertThat(result.authTime()).isEqualTo(stored.authTime());
        assertThat(result.amr()).isEqualTo(stored.amr());
        assertThat(result.acr()).isEqualTo(stored.acr());
        assertThat(result.generation()).isEqualTo(stored.generation());
        assertThat(result.revokedAt()).isEqualTo(stored.revokedAt());
    }

    private AuditEvent event(String type, Family f) {
        return AuditEvent.of(clock.instant(), type, f.session().userId(), f.session().id(), f.session().clientId(), LAPTOP, Map.of());
    }
}
