package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Digests;
import dev.rotor.session.FamilyChange;
import dev.rotor.session.LogoutNotice;
import dev.rotor.session.MutableClock;
import dev.rotor.session.PresentedToken;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RefreshTokenFamily.Channel;
import dev.rotor.session.RefreshTokenStore;
import dev.rotor.session.RotationOutcome;
import dev.rotor.session.Sessions;
import dev.rotor.session.TokenUse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * The behaviour every {@link RefreshTokenStore} must have, against the port only, and the rotation rules of the core
 * ({@link Sessions}) running on that store. Run by one subclass per backend, which opens a fresh, empty store for
 * each test.
 */
public abstract class RefreshTokenStoreContract {
    protected static final String CLIENT = "spa";
    protected static final String OTHER_CLIENT = "cli";
    protected static final String USER = "user-1";
    protected static final Duration SESSION_TTL = Duration.ofDays(7);
    protected static final Duration RETRY = Duration.ofHours(1);
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private static final RequestInfo ATTACKER = new RequestInfo("198.51.100.9", "curl/8.5");
    private static final RequestInfo PHONE = new RequestInfo("192.0.2.44", "Mobile Safari/604.1");

    protected final MutableClock clock = new MutableClock();
    private final byte[] macKey = new byte[32];
    private final RefreshTokenCodec codec;
    private RefreshTokenStore store;

    protected RefreshTokenStoreContract() {
        new SecureRandom().nextBytes(macKey);
        codec = new RefreshTokenCodec(macKey);
    }

    /** A fresh, empty store. */
    protected abstract RefreshTokenStore openStore() throws Exception;

    /** Makes the user and client exist where the backend has foreign keys; a no-op elsewhere. */
    protected abstract void ensureUserAndClient(String userId, String clientId);

    /** Every audit event the store appended, oldest first. */
    protected abstract List<AuditEvent> auditEvents();

    /** Stores a token of the old format (known by hash) as generation {@code generation} of the family. */
    protected abstract void plantLegacyToken(String familyId, int generation, String hash);

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

    private Sessions sessions(RefreshTokenStore on, Duration retry) {
        return new Sessions(on, codec, clock, SESSION_TTL, SESSION_TTL, retry);
    }

    private Sessions sessions() {
        return sessions(store, RETRY);
    }

    private RefreshTokenFamily family(String userId, String clientId, String legacyHash, int generation) {
        Instant now = clock.instant();
        return new RefreshTokenFamily(UUID.randomUUID().toString(), userId, clientId, "openid profile", now, now.plus(SESSION_TTL), now, now,
                List.of("pwd", "otp"), "2", LAPTOP.ip(), LAPTOP.userAgent(), LAPTOP.ip(), LAPTOP.userAgent(), generation, null, legacyHash,
                legacyHash == null ? Channel.TOKEN_ENDPOINT : null, null, null, "new device in Lisbon, verified with TOTP", "laptop-device");
    }

    private RefreshTokenFamily create() {
        RefreshTokenFamily f = family(USER, CLIENT, null, 0);
        store.create(f, AuditEvent.of(clock.instant(), "session.created", USER, f.id(), CLIENT, LAPTOP, Map.of()));
        return f;
    }

    private FamilyChange.Rotate rotation(RefreshTokenFamily before, RequestInfo from) {
        boolean changed = !from.ip().equals(before.lastIp()) || !from.userAgent().equals(before.lastUserAgent());
        return new FamilyChange.Rotate(before.generation(), before.rotated(clock.instant(), from.ip(), from.userAgent()),
                new TokenUse(before.generation(), clock.instant(), from.ip(), from.userAgent(), changed), 8, 32);
    }

    private RefreshTokenFamily stored(RefreshTokenFamily f) {
        return store.find(f.id()).orElseThrow();
    }

    // ----- The port: reads and conditional changes -----

    @Test
    void createThenFindReturnsTheFamilyAsCreated() {
        RefreshTokenFamily f = create();

        assertThat(store.find(f.id())).contains(f);
        assertThat(store.find(UUID.randomUUID().toString())).isEmpty();
        assertThat(store.uses(f.id())).isEmpty();
        assertThat(auditEvents()).extracting(AuditEvent::type).containsExactly("session.created");
    }

    @Test
    void rotateAppliesOnceForOneGenerationAndRecordsTheUse() {
        RefreshTokenFamily f = create();
        clock.advance(Duration.ofMinutes(5));
        FamilyChange.Rotate first = rotation(f, PHONE);

        assertThat(store.apply(first)).isTrue();
        assertThat(store.apply(rotation(f, ATTACKER))).as("a second change from the same generation").isFalse();

        assertThat(stored(f)).isEqualTo(first.after());
        assertThat(stored(f).generation()).isEqualTo(1);
        assertThat(stored(f).rotatedAt()).isEqualTo(clock.instant());
        assertThat(stored(f).lastIp()).isEqualTo(PHONE.ip());
        assertThat(store.findUse(f.id(), 0)).contains(first.use());
        assertThat(store.findUse(f.id(), 1)).isEmpty();
    }

    @Test
    void rotateStoresTheAuthenticationAStepUpRaisedAndKeepsTheSignInNote() {
        RefreshTokenFamily f = create();
        FamilyChange.Rotate r = rotation(f, PHONE);
        RefreshTokenFamily raised = r.after().steppedUp(List.of("pwd", "otp", "mfa"), "3");

        assertThat(store.apply(new FamilyChange.Rotate(r.fromGeneration(), raised, r.use(), r.keepRecent(), r.keepChanged()))).isTrue();

        assertThat(stored(f).amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(stored(f).acr()).isEqualTo("3");
        assertThat(stored(f).signInNote()).isEqualTo("new device in Lisbon, verified with TOTP", "laptop-device");
    }

    @Test
    void rotateWhenAnotherWriterSlipsInBetweenReadAndWriteThenTheSecondDoesNotApply() {
        RefreshTokenFamily read = create();
        RefreshTokenFamily readToo = stored(read);
        // Both requests read generation 0; one writes first.
        assertThat(store.apply(rotation(readToo, PHONE))).isTrue();
        clock.advance(Duration.ofSeconds(1));

        assertThat(store.apply(rotation(read, ATTACKER))).isFalse();

        assertThat(stored(read).generation()).isEqualTo(1);
        assertThat(stored(read).lastIp()).isEqualTo(PHONE.ip());
        assertThat(store.uses(read.id())).extracting(TokenUse::ip).containsExactly(PHONE.ip());
    }

    @Test
    void rotateWhenRevokedThenDoesNotApply() {
        RefreshTokenFamily f = create();
        assertThat(store.apply(new FamilyChange.Revoke(f.revoked(clock.instant(), "logout"), event("session.revoked", f)))).isTrue();

        assertThat(store.apply(rotation(f, LAPTOP))).isFalse();
        assertThat(store.apply(new FamilyChange.Retry(f.touched(clock.instant(), PHONE.ip(), PHONE.userAgent())))).isFalse();
        assertThat(stored(f).generation()).isZero();
    }

    @Test
    void retryAppliesOnlyWhileTheFamilyIsAtItsGenerationAndWritesOnlyTheLastUse() {
        RefreshTokenFamily f = create();
        store.apply(rotation(f, LAPTOP));
        RefreshTokenFamily g1 = stored(f);
        clock.advance(Duration.ofMinutes(3));

        assertThat(store.apply(new FamilyChange.Retry(g1.touched(clock.instant(), PHONE.ip(), PHONE.userAgent())))).isTrue();
        assertThat(stored(f)).isEqualTo(g1.touched(clock.instant(), PHONE.ip(), PHONE.userAgent()));
        assertThat(store.uses(f.id())).hasSize(1);

        store.apply(rotation(stored(f), LAPTOP));
        assertThat(store.apply(new FamilyChange.Retry(g1.touched(clock.instant(), ATTACKER.ip(), ATTACKER.userAgent()))))
                .as("the family moved on").isFalse();
        assertThat(stored(f).lastIp()).isEqualTo(LAPTOP.ip());
    }

    @Test
    void revokeAppliesOnceWithItsAuditEvent() {
        RefreshTokenFamily f = create();
        int before = auditEvents().size();

        assertThat(store.apply(new FamilyChange.Revoke(f.revoked(clock.instant(), "logout"), event("session.revoked", f)))).isTrue();
        assertThat(store.apply(new FamilyChange.Revoke(f.revoked(clock.instant(), "other"), event("session.revoked", f)))).isFalse();
        assertThat(store.apply(new FamilyChange.Revoke(family(USER, CLIENT, null, 0).revoked(clock.instant(), "x"),
                event("session.revoked", f)))).as("unknown family").isFalse();

        assertThat(stored(f).revokeReason()).isEqualTo("logout");
        assertThat(stored(f).revokedAt()).isEqualTo(clock.instant());
        assertThat(auditEvents()).hasSize(before + 1);
    }

    @Test
    void historyKeepsTheRecentUsesAndTheLatestChangedOnesWhateverTheNumberOfRotations() {
        RefreshTokenFamily f = create();
        RequestInfo network = LAPTOP;
        for (int i = 0; i < 200; i++) {
            clock.advance(Duration.ofMinutes(15));
            // Every tenth rotation comes from a new network, where the device then stays.
            if (i % 10 == 9) network = new RequestInfo("198.51.100." + i % 250, "Firefox/128");
            assertThat(store.apply(rotation(stored(f), network))).isTrue();
        }

        List<TokenUse> kept = store.uses(f.id());
        assertThat(kept).extracting(TokenUse::generation).as("newest first").isSortedAccordingTo((a, b) -> b - a);
        assertThat(kept.subList(0, 8)).extracting(TokenUse::generation).containsExactly(199, 198, 197, 196, 195, 194, 193, 192);
        assertThat(kept).filteredOn(TokenUse::changed).hasSize(20);
        assertThat(kept).hasSize(8 + 19); // generation 199 is both recent and changed
        assertThat(store.findUse(f.id(), 9)).get().extracting(TokenUse::changed).isEqualTo(true);
        assertThat(store.findUse(f.id(), 10)).isEmpty();
    }

    @Test
    void historyOfChangedUsesIsBoundedToo() {
        RefreshTokenFamily f = create();
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(store.apply(rotation(stored(f), new RequestInfo("198.51.100." + (i % 2), "curl/" + i)))).isTrue();
        }

        assertThat(store.uses(f.id())).hasSize(32).allMatch(TokenUse::changed);
        assertThat(store.uses(f.id()).getLast().generation()).isEqualTo(68);
    }

    @Test
    void findLegacyReturnsTheFamilyAndGenerationOfAnOldToken() {
        RefreshTokenFamily f = family(USER, CLIENT, "hash-of-gen-3", 3);
        store.create(f, event("session.created", f));
        plantLegacyToken(f.id(), 2, "hash-of-gen-2");
        plantLegacyToken(f.id(), 3, "hash-of-gen-3");

        assertThat(store.findLegacy("hash-of-gen-3")).contains(new PresentedToken(f.id(), 3, "hash-of-gen-3"));
        assertThat(store.findLegacy("hash-of-gen-2")).contains(new PresentedToken(f.id(), 2, "hash-of-gen-2"));
        assertThat(store.findLegacy("no-such-hash")).isEmpty();
        assertThat(stored(f).legacyHash()).isEqualTo("hash-of-gen-3");
        assertThat(stored(f).channel()).isNull();
    }

    @Test
    void revokeAllForUserRevokesOnlyThatUsersLiveFamilies() {
        RefreshTokenFamily a = create();
        RefreshTokenFamily b = create();
        RefreshTokenFamily already = create();
        store.apply(new FamilyChange.Revoke(already.revoked(clock.instant(), "logout"), event("session.revoked", already)));
        RefreshTokenFamily other = family("user-2", OTHER_CLIENT, null, 0);
        store.create(other, event("session.created", other));

        int n = store.revokeAllForUser(USER, "logout_all", clock.instant(),
                AuditEvent.of(clock.instant(), "session.revoked_all", USER, null, null, LAPTOP, Map.of("reason", "logout_all")), List.of());

        assertThat(n).isEqualTo(2);
        assertThat(stored(a).revokeReason()).isEqualTo("logout_all");
        assertThat(stored(b).isRevoked()).isTrue();
        assertThat(stored(already).revokeReason()).isEqualTo("logout");
        assertThat(stored(other).isRevoked()).isFalse();
        assertThat(auditEvents().getLast().detail()).containsEntry("sessions", "2").containsEntry("reason", "logout_all");
    }

    @Test
    void listForUserAndListActiveReturnLiveFamiliesNewestFirst() {
        RefreshTokenFamily older = create();
        clock.advance(Duration.ofSeconds(1));
        RefreshTokenFamily revoked = create();
        store.apply(new FamilyChange.Revoke(revoked.revoked(clock.instant(), "logout"), event("session.revoked", revoked)));
        clock.advance(Duration.ofSeconds(1));
        RefreshTokenFamily newer = create();
        clock.advance(Duration.ofSeconds(1));
        RefreshTokenFamily other = family("user-2", OTHER_CLIENT, null, 0);
        store.create(other, event("session.created", other));

        assertThat(store.listForUser(USER, clock.instant())).extracting(RefreshTokenFamily::id).containsExactly(newer.id(), older.id());
        assertThat(store.listForUser("nobody", clock.instant())).isEmpty();
        assertThat(store.listActive(clock.instant(), 10)).extracting(RefreshTokenFamily::id)
                .containsExactly(other.id(), newer.id(), older.id());
        assertThat(store.listActive(clock.instant(), 2)).hasSize(2);
        assertThat(store.listActive(older.expiresAt().plusSeconds(10), 10)).isEmpty();
    }

    @Test
    void deleteExpiredDeletesFamiliesPastTheCutoffWithTheirHistoryAndOldTokens() {
        RefreshTokenFamily expired = create();
        store.apply(rotation(expired, LAPTOP));
        plantLegacyToken(expired.id(), 0, "old-token-of-expired");
        clock.advance(Duration.ofDays(1));
        RefreshTokenFamily live = create();
        plantLegacyToken(live.id(), 0, "old-token-of-live");
        RefreshTokenFamily revoked = create();
        store.apply(new FamilyChange.Revoke(revoked.revoked(clock.instant(), "logout"), event("session.revoked", revoked)));
        Instant cutoff = expired.expiresAt();

        assertThat(store.deleteExpired(cutoff)).as("exactly at expiry: not before the cutoff").isZero();
        assertThat(store.find(expired.id())).isPresent();

        assertThat(store.deleteExpired(cutoff.plusMillis(1))).isEqualTo(1);
        assertThat(store.find(expired.id())).isEmpty();
        assertThat(store.uses(expired.id())).isEmpty();
        assertThat(store.findLegacy("old-token-of-expired")).isEmpty();
        assertThat(store.findLegacy("old-token-of-live")).isPresent();
        assertThat(store.find(revoked.id())).as("revoked families stay until expiry, for the audit trail").isPresent();
        assertThat(store.find(live.id())).isPresent();
        assertThat(store.deleteExpired(cutoff.plusMillis(1))).as("idempotent").isZero();
    }

    @Test
    void deleteExpiredRunByManyNodesAtOnceLeavesNoHistoryBehind() throws Exception {
        List<RefreshTokenFamily> expired = race(16, i -> {
            List<RefreshTokenFamily> made = new ArrayList<>();
            for (int k = 0; k < 75; k++) {
                RefreshTokenFamily f = create();
                store.apply(rotation(f, LAPTOP));
                made.add(f);
            }
            return made;
        }).stream().flatMap(List::stream).toList();
        Instant cutoff = expired.getFirst().expiresAt().plusMillis(1);

        List<Integer> deleted = race(6, i -> store.deleteExpired(cutoff));

        assertThat(deleted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(expired.size());
        for (RefreshTokenFamily f : expired) {
            assertThat(store.find(f.id())).isEmpty();
            assertThat(store.uses(f.id())).as("history of %s", f.id()).isEmpty();
        }
    }

    @Test
    void concurrentRotationsFromOneGenerationApplyExactlyOnce() throws Exception {
        RefreshTokenFamily f = create();
        List<Boolean> applied = race(16, i -> store.apply(rotation(f, new RequestInfo("192.0.2." + i, "racer"))));

        assertThat(applied).filteredOn(b -> b).hasSize(1);
        assertThat(stored(f).generation()).isEqualTo(1);
        assertThat(store.uses(f.id())).hasSize(1);
    }

    // ----- The rules of the core on this store -----

    private String start(Sessions s) {
        return s.start(USER, CLIENT, "openid profile", List.of("pwd"), "1", Channel.TOKEN_ENDPOINT, LAPTOP).refreshToken();
    }

    private RotationOutcome refresh(Sessions s, String token, RequestInfo from) {
        return s.refresh(token, CLIENT, Channel.TOKEN_ENDPOINT, from);
    }

    private String rotated(Sessions s, String token) {
        RotationOutcome o = refresh(s, token, LAPTOP);
        assertThat(o).isInstanceOf(RotationOutcome.Rotated.class);
        return s.refreshToken(((RotationOutcome.Rotated) o).family());
    }

    @Test
    void refreshWhenRetriedBeforeTheSuccessorIsPresentedThenTheSameSuccessorWithoutForking() {
        Sessions s = sessions();
        String g0 = start(s);
        String g1 = rotated(s, g0);
        clock.advance(Duration.ofMinutes(59));

        RotationOutcome retry = refresh(s, g0, PHONE);

        assertThat(retry).isInstanceOf(RotationOutcome.Retried.class);
        RefreshTokenFamily after = ((RotationOutcome.Retried) retry).family();
        assertThat(s.refreshToken(after)).isEqualTo(g1);
        assertThat(after.generation()).isEqualTo(1);
        assertThat(stored(after).lastUsedAt()).isEqualTo(clock.instant());
        assertThat(stored(after).lastIp()).isEqualTo(PHONE.ip());
        assertThat(store.uses(after.id())).hasSize(1);
        assertThat(rotated(s, g1)).isNotEqualTo(g1);
    }

    @Test
    void refreshWhenRetriedAfterTheWindowThenReuseRevokesAndAuditsBothUses() {
        Sessions s = sessions();
        String g0 = start(s);
        String g1 = rotated(s, g0);
        Instant firstUse = clock.instant();
        clock.advance(RETRY);

        RotationOutcome reuse = refresh(s, g0, ATTACKER);

        assertThat(reuse).isInstanceOf(RotationOutcome.Reused.class);
        RefreshTokenFamily f = ((RotationOutcome.Reused) reuse).family();
        assertThat(stored(f).revokedAt()).isEqualTo(clock.instant());
        assertThat(stored(f).revokeReason()).isEqualTo("refresh_token_reuse");
        assertThat(refresh(s, g1, LAPTOP)).isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.REVOKED));
        AuditEvent event = reuseEvent();
        assertThat(event.sessionId()).isEqualTo(f.id());
        assertThat(event.detail())
                .containsEntry("generation", "0")
                .containsEntry("family_generation", "1")
                .containsEntry("first_use_at", firstUse.toString())
                .containsEntry("first_use_ip", LAPTOP.ip())
                .containsEntry("first_use_user_agent", LAPTOP.userAgent())
                .containsEntry("reuse_at", clock.instant().toString())
                .containsEntry("reuse_ip", ATTACKER.ip())
                .containsEntry("reuse_user_agent", ATTACKER.userAgent());
    }

    @Test
    void refreshWhenTheSuccessorWasPresentedThenAnyEarlierTokenIsReuseAtOnce() {
        Sessions s = sessions();
        String g0 = start(s);
        String g1 = rotated(s, g0);
        rotated(s, g1);

        assertThat(refresh(s, g0, ATTACKER)).isInstanceOf(RotationOutcome.Reused.class);
    }

    @Test
    void refreshWhenRetryWindowIsZeroThenAnyReplayIsReuse() {
        Sessions s = sessions(store, Duration.ZERO);
        String g0 = start(s);
        rotated(s, g0);

        assertThat(refresh(s, g0, LAPTOP)).isInstanceOf(RotationOutcome.Reused.class);
    }

    @Test
    void refreshAfterThousandsOfRotationsStillRecognisesTheFirstTokenAsReuseWithBoundedHistory() {
        Sessions s = sessions();
        String g0 = start(s);
        String token = g0;
        for (int i = 0; i < 2_000; i++) {
            // A phone moving between two networks every 50 refreshes.
            RequestInfo from = (i / 50) % 2 == 0 ? LAPTOP : PHONE;
            RotationOutcome o = refresh(s, token, from);
            assertThat(o).isInstanceOf(RotationOutcome.Rotated.class);
            token = s.refreshToken(((RotationOutcome.Rotated) o).family());
        }

        List<TokenUse> kept = store.uses(s.findByToken(token).orElseThrow().id());
        assertThat(kept).hasSize(8 + 32).filteredOn(TokenUse::changed).hasSize(32);
        assertThat(refresh(s, g0, ATTACKER)).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(reuseEvent().detail()).containsEntry("generation", "0").containsEntry("first_use_at", "not kept");
    }

    @Test
    void refreshWhenAnotherClientPresentsTheCurrentTokenThenRefusedAndNothingChanges() {
        Sessions s = sessions();
        String g0 = start(s);
        RefreshTokenFamily before = s.findByToken(g0).orElseThrow();

        assertThat(s.refresh(g0, OTHER_CLIENT, Channel.TOKEN_ENDPOINT, ATTACKER))
                .isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.WRONG_CLIENT));
        assertThat(stored(before)).isEqualTo(before);
        rotated(s, g0);
    }

    @Test
    void refreshWhenAnotherClientPresentsAUsedTokenThenReuse() {
        Sessions s = sessions();
        String g0 = start(s);
        rotated(s, g0);

        assertThat(s.refresh(g0, OTHER_CLIENT, Channel.TOKEN_ENDPOINT, ATTACKER)).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(reuseEvent().detail()).containsEntry("reuse_client_id", OTHER_CLIENT);
    }

    @Test
    void refreshOverTheOtherChannelThenRefusedAndNothingChanges() {
        Sessions s = sessions();
        String cookie = s.start(USER, CLIENT, "openid", List.of("pwd"), "1", Channel.COOKIE, LAPTOP).refreshToken();
        RefreshTokenFamily before = s.findByToken(cookie).orElseThrow();

        assertThat(refresh(s, cookie, LAPTOP)).isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.WRONG_CHANNEL));
        assertThat(stored(before)).isEqualTo(before);
        assertThat(s.refresh(cookie, CLIENT, Channel.COOKIE, LAPTOP)).isInstanceOf(RotationOutcome.Rotated.class);
    }

    @Test
    void refreshWhenTheFamilyIsGoneOrTheTokenForgedThenUnknown() {
        Sessions s = sessions();
        String g0 = start(s);
        String forged = new RefreshTokenCodec(new byte[32]).issue(s.findByToken(g0).orElseThrow().id(), 0);
        String unknownFamily = codec.issue(UUID.randomUUID().toString(), 0);

        assertThat(refresh(s, forged, ATTACKER)).isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.UNKNOWN));
        assertThat(refresh(s, unknownFamily, ATTACKER)).isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.UNKNOWN));
        rotated(s, g0);
    }

    @Test
    void refreshWhenTheTokenIsAheadOfTheFamilyThenRefusedAndNothingChanges() {
        Sessions s = sessions();
        String g0 = start(s);
        RefreshTokenFamily f = s.findByToken(g0).orElseThrow();

        assertThat(refresh(s, codec.issue(f.id(), 5), ATTACKER)).isEqualTo(new RotationOutcome.Refused(RotationOutcome.Reason.AHEAD));
        assertThat(stored(f)).isEqualTo(f);
    }

    @Test
    void refreshWhenAnotherRequestRotatesBetweenTheReadAndTheWriteThenTheLoserGetsTheRetryAnswer() {
        Sessions winner = sessions();
        String g0 = start(winner);
        String[] winnersToken = new String[1];
        // Between the loser's read and its conditional write, the winner rotates the same token.
        RefreshTokenStore interleaved = new InterleavingStore(store, () -> winnersToken[0] = rotated(winner, g0));

        RotationOutcome loser = refresh(sessions(interleaved, RETRY), g0, PHONE);

        assertThat(loser).isInstanceOf(RotationOutcome.Retried.class);
        assertThat(winner.refreshToken(((RotationOutcome.Retried) loser).family())).isEqualTo(winnersToken[0]);
        assertThat(stored(((RotationOutcome.Retried) loser).family()).generation()).isEqualTo(1);
    }

    @Test
    void refreshWhenAnotherRequestRotatesBetweenTheReadAndTheWriteWithoutRetryWindowThenReuse() {
        Sessions winner = sessions(store, Duration.ZERO);
        String g0 = start(winner);
        RefreshTokenStore interleaved = new InterleavingStore(store, () -> rotated(winner, g0));

        RotationOutcome loser = refresh(sessions(interleaved, Duration.ZERO), g0, PHONE);

        assertThat(loser).isInstanceOf(RotationOutcome.Reused.class);
        assertThat(stored(((RotationOutcome.Reused) loser).family()).generation()).as("rotated once, not twice").isEqualTo(1);
    }

    @Test
    void refreshWhenEveryConditionalWriteIsLostThenContendedNotAVerdict() {
        Sessions s = sessions();
        String g0 = start(s);
        RefreshTokenStore losing = new InterleavingStore(store, () -> {}, 0, true);

        assertThatThrownBy(() -> refresh(sessions(losing, RETRY), g0, PHONE)).isInstanceOf(Sessions.ContendedException.class);
        assertThat(stored(s.findByToken(g0).orElseThrow()).generation()).isZero();
    }

    @Test
    void refreshWhenRacedThenEveryAnswerCarriesTheSameSuccessor() throws Exception {
        Sessions s = sessions();
        String g0 = start(s);
        List<RotationOutcome> outcomes = race(16, i -> refresh(s, g0, LAPTOP));

        assertThat(outcomes).filteredOn(o -> o instanceof RotationOutcome.Rotated).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof RotationOutcome.Retried).hasSize(15);
        Set<String> successors = new HashSet<>();
        for (RotationOutcome o : outcomes) {
            successors.add(s.refreshToken(o instanceof RotationOutcome.Rotated r ? r.family() : ((RotationOutcome.Retried) o).family()));
        }
        assertThat(successors).hasSize(1);
        assertThat(stored(s.findByToken(g0).orElseThrow()).generation()).isEqualTo(1);
    }

    @Test
    void refreshWhenRacedWithoutRetryWindowThenExactlyOneRotates() throws Exception {
        Sessions s = sessions(store, Duration.ZERO);
        String g0 = start(s);
        List<RotationOutcome> outcomes = race(16, i -> refresh(s, g0, LAPTOP));

        assertThat(outcomes).filteredOn(o -> o instanceof RotationOutcome.Rotated).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof RotationOutcome.Rotated || o instanceof RotationOutcome.Retried).hasSize(1);
    }

    @Test
    void legacyTokenRotatesIntoTheNewFormatAndIsThenRecognisedAsUsed() {
        Sessions s = sessions();
        String legacy = legacyToken();
        RefreshTokenFamily f = family(USER, CLIENT, Digests.sha256(legacy), 4);
        store.create(f, event("session.created", f));
        plantLegacyToken(f.id(), 4, Digests.sha256(legacy));
        String older = legacyToken();
        plantLegacyToken(f.id(), 3, Digests.sha256(older));

        String next = rotated(s, legacy);

        assertThat(next).hasSize(RefreshTokenCodec.LENGTH).isEqualTo(codec.issue(f.id(), 5));
        assertThat(stored(f).legacyHash()).isNull();
        assertThat(refresh(s, legacy, PHONE)).as("retry of the old token gets the new one").isInstanceOf(RotationOutcome.Retried.class);
        assertThat(s.refreshToken(((RotationOutcome.Retried) refresh(s, legacy, PHONE)).family())).isEqualTo(next);
        rotated(s, next);
        assertThat(refresh(s, older, ATTACKER)).isInstanceOf(RotationOutcome.Reused.class);
    }

    @Test
    void legacyTokenWhoseSuccessorIsAlsoOldIsReuseWhenReplayed() {
        Sessions s = sessions();
        String current = legacyToken();
        String used = legacyToken();
        RefreshTokenFamily f = family(USER, CLIENT, Digests.sha256(current), 1);
        store.create(f, event("session.created", f));
        plantLegacyToken(f.id(), 0, Digests.sha256(used));
        plantLegacyToken(f.id(), 1, Digests.sha256(current));

        assertThat(refresh(s, used, ATTACKER)).as("its successor cannot be computed, so it cannot be given back")
                .isInstanceOf(RotationOutcome.Reused.class);
    }

    private static String legacyToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private AuditEvent reuseEvent() {
        return auditEvents().stream().filter(e -> e.type().equals("refresh_token.reuse_detected")).reduce((a, b) -> b).orElseThrow();
    }

    private AuditEvent event(String type, RefreshTokenFamily f) {
        return AuditEvent.of(clock.instant(), type, f.userId(), f.id(), f.clientId(), LAPTOP, Map.of());
    }

    private static <T> List<T> race(int n, java.util.function.IntFunction<T> work) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            tasks.add(() -> {
                go.await();
                return work.apply(index);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = tasks.stream().map(pool::submit).toList();
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The store under test, with {@code between} run after a read of a family and before the next change: a second
     * writer slipping in between the read and the conditional update, {@code times} times.
     */
    private static final class InterleavingStore implements RefreshTokenStore {
        private final RefreshTokenStore delegate;
        private final Runnable between;
        private final boolean loseEvery;
        private int times;
        private boolean armed;

        InterleavingStore(RefreshTokenStore delegate, Runnable between) {
            this(delegate, between, 1, false);
        }

        /** @param loseEvery every change is lost, as if another writer always came first */
        InterleavingStore(RefreshTokenStore delegate, Runnable between, int times, boolean loseEvery) {
            this.delegate = delegate;
            this.between = between;
            this.times = times;
            this.loseEvery = loseEvery;
        }

        @Override
        public Optional<RefreshTokenFamily> find(String familyId) {
            Optional<RefreshTokenFamily> f = delegate.find(familyId);
            armed = times > 0;
            return f;
        }

        @Override
        public boolean apply(FamilyChange change) {
            if (armed) {
                armed = false;
                times--;
                between.run();
            }
            return !loseEvery && delegate.apply(change);
        }

        @Override
        public void create(RefreshTokenFamily family, AuditEvent event) {
            delegate.create(family, event);
        }

        @Override
        public Optional<PresentedToken> findLegacy(String tokenHash) {
            return delegate.findLegacy(tokenHash);
        }

        @Override
        public Optional<TokenUse> findUse(String familyId, int generation) {
            return delegate.findUse(familyId, generation);
        }

        @Override
        public List<TokenUse> uses(String familyId) {
            return delegate.uses(familyId);
        }

        @Override
        public List<RefreshTokenFamily> listForUser(String userId, Instant now) {
            return delegate.listForUser(userId, now);
        }

        @Override
        public List<RefreshTokenFamily> listActive(Instant now, int limit) {
            return delegate.listActive(now, limit);
        }

        @Override
        public int revokeAllForUser(String userId, String reason, Instant now, AuditEvent event, List<LogoutNotice> notices) {
            return delegate.revokeAllForUser(userId, reason, now, event, notices);
        }

        @Override
        public int deleteExpired(Instant expiredBefore) {
            return delegate.deleteExpired(expiredBefore);
        }
    }
}
