package dev.rotor.logout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.audit.AuditEvent;
import dev.rotor.crypto.Sealer;
import dev.rotor.session.LogoutNotice;
import dev.rotor.session.MutableClock;
import dev.rotor.store.JdbcAuditLog;
import dev.rotor.store.JdbcLogoutOutbox;
import dev.rotor.store.JdbcSigningKeyStore;
import dev.rotor.store.SqliteDatabase;
import dev.rotor.testing.LogoutReceiver;
import dev.rotor.testing.LogoutTokenCheck;
import dev.rotor.token.KeyRing;
import dev.rotor.token.LogoutTokens;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deliverer against a real outbox (SQLite), real signing keys and a real receiver on loopback, one pass at a time
 * ({@link LogoutDeliverer#deliverDue}) under a clock the test moves, so that every retry is seen without waiting.
 */
class LogoutDelivererTest {
    private static final String ISSUER = "https://auth.example.test";
    private static final Duration FIRST = Duration.ofSeconds(5);
    private static final OutboxDeliverer.Settings SETTINGS = new OutboxDeliverer.Settings(FIRST, Duration.ofSeconds(40),
            Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMillis(800), 8);

    @TempDir
    Path dir;

    /** Now, to the second: the logout tokens are checked as a client checks them, against the real time. */
    private static final java.time.Instant START = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    private final MutableClock clock = new MutableClock(START);
    private final LogoutReceiver receiver = new LogoutReceiver();
    private SqliteDatabase db;
    private JdbcLogoutOutbox outbox;
    private JdbcAuditLog audit;
    private KeyRing keys;
    private LogoutDeliverer deliverer;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        outbox = new JdbcLogoutOutbox(db);
        audit = new JdbcAuditLog(db);
        SecureRandom random = new SecureRandom();
        keys = new KeyRing(new JdbcSigningKeyStore(db), new Sealer(new byte[32], random), clock, "ES256", Duration.ofMinutes(15), Duration.ZERO);
        keys.start();
        deliverer = new LogoutDeliverer(outbox, new LogoutTokens(keys, clock, random, ISSUER), audit, clock, SETTINGS);
    }

    @AfterEach
    void close() {
        deliverer.close();
        receiver.close();
        db.close();
    }

    private void queue(String client, String sid) {
        outbox.enqueue(List.of(new LogoutNotice(client, receiver.uri("/bc/" + client), "user-1", sid)), clock.instant());
    }

    private List<AuditEvent> events(String type) {
        return audit.tail(100).stream().filter(e -> e.type().equals(type)).toList();
    }

    private JWTClaimsSet verified(LogoutReceiver.Received r, String client) {
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(r.body()).as("the token is the one form field").startsWith("logout_token=").doesNotContain("&");
        return LogoutTokenCheck.verified(r.logoutToken(), ISSUER, client, keys.jwksJson(), "ES256");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 202, 204})
    void aTokenAcceptedWithA2xxIsDeliveredOnceAndAudited(int status) {
        receiver.answer(status);
        queue("web", "sso-1");

        assertThat(deliverer.deliverDue()).isEqualTo(1);

        JWTClaimsSet token = verified(receiver.next(Duration.ofSeconds(5)), "web");
        assertThat(token.getSubject()).isEqualTo("user-1");
        assertThat(token.getClaim("sid")).isEqualTo("sso-1");
        assertThat(token.getIssueTime().toInstant()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(outbox.pending()).isZero();
        assertThat(events("logout.delivered")).singleElement().satisfies(e -> {
            assertThat(e.clientId()).isEqualTo("web");
            assertThat(e.userId()).isEqualTo("user-1");
            assertThat(e.detail()).containsEntry("status", Integer.toString(status)).containsEntry("attempts", "1")
                    .containsEntry("sso_session", "sso-1");
        });
        clock.advance(Duration.ofHours(1));
        assertThat(deliverer.deliverDue()).isZero();
        receiver.expectNothing(Duration.ofMillis(200));
    }

    @Test
    void aSessionWithoutSsoGivesATokenNamingTheUserOnly() {
        queue("app", null);
        deliverer.deliverDue();

        JWTClaimsSet token = verified(receiver.next(Duration.ofSeconds(5)), "app");
        assertThat(token.getSubject()).isEqualTo("user-1");
        assertThat(token.getClaims()).doesNotContainKey("sid");
    }

    @Test
    void unavailableTwiceThenAcceptedIsRetriedWithDoublingWaitsEachTimeWithAFreshToken() {
        receiver.answer(503, 503);
        queue("web", "sso-1");

        deliverer.deliverDue();
        String first = receiver.next(Duration.ofSeconds(5)).logoutToken();
        assertThat(outbox.pending()).isEqualTo(1);
        assertThat(deliverer.deliverDue()).as("not due again at once").isZero();

        clock.advance(FIRST.minusMillis(1));
        assertThat(deliverer.deliverDue()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(deliverer.deliverDue()).as("due %s after the first failure", FIRST).isEqualTo(1);
        String second = receiver.next(Duration.ofSeconds(5)).logoutToken();

        clock.advance(FIRST.multipliedBy(2).minusMillis(1));
        assertThat(deliverer.deliverDue()).as("the wait doubled").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(deliverer.deliverDue()).isEqualTo(1);
        JWTClaimsSet third = verified(receiver.next(Duration.ofSeconds(5)), "web");

        assertThat(List.of(first, second, third.getJWTID())).doesNotHaveDuplicates();
        assertThat(outbox.pending()).isZero();
        assertThat(events("logout.delivered")).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("attempts", "3"));
        assertThat(events("logout.failed")).isEmpty();
    }

    @Test
    void tooManyRequestsIsRetriedLikeAnOutage() {
        receiver.answer(429);
        queue("web", "sso-1");
        deliverer.deliverDue();
        clock.advance(FIRST);
        deliverer.deliverDue();

        assertThat(receiver.all()).hasSize(2);
        assertThat(events("logout.delivered")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 302})
    void aRefusalOrARedirectIsFinalNotRetriedAndAudited(int status) {
        receiver.answer(status);
        queue("web", "sso-1");

        deliverer.deliverDue();
        receiver.next(Duration.ofSeconds(5));
        clock.advance(Duration.ofHours(2));
        assertThat(deliverer.deliverDue()).isZero();

        receiver.expectNothing(Duration.ofMillis(300));
        assertThat(receiver.all()).as("a redirect is not followed").hasSize(1);
        assertThat(outbox.pending()).isZero();
        assertThat(events("logout.failed")).singleElement().satisfies(e -> assertThat(e.detail())
                .containsEntry("status", Integer.toString(status)).containsEntry("reason", "refused").containsEntry("attempts", "1"));
    }

    @Test
    void aReceiverThatIsDownIsRetriedAsANetworkError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        outbox.enqueue(List.of(new LogoutNotice("web", "http://127.0.0.1:" + closed + "/bc", "user-1", "sso-1")), clock.instant());

        deliverer.deliverDue();

        assertThat(outbox.pending()).isEqualTo(1);
        clock.advance(FIRST);
        assertThat(outbox.claim(clock.instant(), clock.instant().plusSeconds(1), 10)).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastStatus()).as("no status: no answer").isNull();
        });
    }

    @Test
    void aReceiverThatHangsTimesOutAndIsRetriedLater() {
        receiver.hold();
        queue("web", "sso-1");

        deliverer.deliverDue();

        receiver.next(Duration.ofSeconds(5));
        assertThat(outbox.pending()).as("timed out: still queued").isEqualTo(1);
        receiver.release();
        clock.advance(FIRST);
        deliverer.deliverDue();
        verified(receiver.next(Duration.ofSeconds(5)), "web");
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void aDeliveryFailingPastTheGiveUpTimeIsAbandonedAndAudited() {
        receiver.answer(500, 500, 500, 500, 500, 500, 500, 500);
        queue("web", "sso-1");
        // 5 s, 10 s, 20 s, 40 s, 40 s (capped): attempts at 0, 5, 15, 35, 75, 115; the next would be at 155 > 120.
        for (long at : new long[] {0, 5, 15, 35, 75, 115}) {
            clock.set(START.plusSeconds(at));
            assertThat(deliverer.deliverDue()).as("an attempt at %d s", at).isEqualTo(1);
        }
        assertThat(outbox.pending()).isZero();
        assertThat(receiver.all()).hasSize(6);
        assertThat(events("logout.failed")).singleElement().satisfies(e -> assertThat(e.detail())
                .containsEntry("reason", "gave_up").containsEntry("attempts", "6").containsEntry("status", "500"));
    }

    @Test
    void backoffDoublesFromTheFirstWaitAndStopsAtTheLongest() {
        assertThat(List.of(1, 2, 3, 4, 5, 50).stream().map(deliverer::backoff).toList())
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                        Duration.ofSeconds(40), Duration.ofSeconds(40));
    }

    @Test
    void theDefaultsAreFiveSecondsDoublingToAnHourForADay() {
        OutboxDeliverer.Settings d = OutboxDeliverer.Settings.DEFAULT;
        assertThat(Map.of("first", d.firstRetry(), "max", d.maxRetry(), "giveUp", d.giveUpAfter()))
                .isEqualTo(Map.of("first", Duration.ofSeconds(5), "max", Duration.ofHours(1), "giveUp", Duration.ofHours(24)));
    }

    @Test
    void settingsAtTheirEdgesAreAccepted() {
        Duration s = Duration.ofSeconds(1);
        assertThat(new OutboxDeliverer.Settings(s, s, Duration.ZERO, s, s, 1).maxRetry()).as("longest wait = first wait; give up at once").isEqualTo(s);
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        Duration s = Duration.ofSeconds(1);
        for (Duration bad : List.of(Duration.ZERO, s.negated())) {
            assertThatThrownBy(() -> new OutboxDeliverer.Settings(bad, s, s, s, s, 1)).as("first retry %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s, bad, s, 1)).as("poll %s", bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s, s, bad, 1)).as("timeout %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void startingTwiceRunsOneThreadAndCloseStopsIt() throws Exception {
        deliverer.start();
        deliverer.start();
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("rotor-logout-deliverer")).count()).isEqualTo(1);

        deliverer.close();

        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("rotor-logout-deliverer") && t.isAlive())).isEmpty();
    }

    @Test
    void settingsOutOfOrderOrWithoutABatchAreRefused() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(Duration.ZERO, s, s, s, s, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(s.multipliedBy(2), s, s, s, s, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s.negated(), s, s, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s, Duration.ZERO, s, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s, s, Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboxDeliverer.Settings(s, s, s, s, s, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyDueAtOnceAreSentInOnePass() throws Exception {
        for (int i = 0; i < 5; i++) queue("client-" + i, "sso-1");

        assertThat(deliverer.deliverDue()).isEqualTo(5);

        List<String> audiences = new java.util.ArrayList<>();
        for (LogoutReceiver.Received r : receiver.all()) {
            String aud = com.nimbusds.jwt.SignedJWT.parse(r.logoutToken()).getJWTClaimsSet().getAudience().getFirst();
            verified(r, aud);
            audiences.add(aud);
        }
        assertThat(audiences).containsExactlyInAnyOrder("client-0", "client-1", "client-2", "client-3", "client-4");
    }
}
