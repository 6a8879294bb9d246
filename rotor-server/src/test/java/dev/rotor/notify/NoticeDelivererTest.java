package dev.rotor.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.outbox.HttpPost;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.session.MutableClock;
import dev.rotor.store.JdbcAuditLog;
import dev.rotor.store.JdbcNoticeOutbox;
import dev.rotor.store.SqliteDatabase;
import dev.rotor.testing.StdErr;
import dev.rotor.testing.WebhookReceiver;
import dev.rotor.testing.WebhookReceiver.Post;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security notices from the audit log (SQLite) to a real webhook on loopback, one pass at a time
 * ({@link NoticeDeliverer#deliverDue}) under a clock the test moves, so that every retry is seen without waiting.
 */
class NoticeDelivererTest {
    private static final String SECRET = "whsec-test-0123456789abcdef0123456789abcdef";
    private static final Duration FIRST = Duration.ofSeconds(5);
    private static final OutboxDeliverer.Settings SETTINGS = new OutboxDeliverer.Settings(FIRST, Duration.ofSeconds(40),
            Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofMillis(800), 8);
    /** Now, to the second: signatures are checked against it, as a receiver checks them against its clock. */
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(START);
    private final WebhookReceiver receiver = new WebhookReceiver();
    private Process process;

    /** One run of the server on the database file; a restart is another on the same file. */
    private record Process(SqliteDatabase db, JdbcAuditLog audit, JdbcNoticeOutbox outbox, NoticeDeliverer deliverer) implements AutoCloseable {
        static Process on(Path file, Notifier notifier, MutableClock clock) {
            SqliteDatabase db = SqliteDatabase.open("jdbc:sqlite:" + file);
            JdbcAuditLog audit = new JdbcAuditLog(db);
            JdbcNoticeOutbox outbox = new JdbcNoticeOutbox(db);
            return new Process(db, audit, outbox, new NoticeDeliverer(outbox, notifier, audit, clock, SETTINGS));
        }

        @Override
        public void close() {
            deliverer.close();
            db.close();
        }
    }

    private Process start(Notifier notifier) {
        if (process != null) process.close();
        process = Process.on(dir.resolve("rotor.db"), notifier, clock);
        return process;
    }

    private Notifier webhook() {
        return new WebhookNotifier(URI.create(receiver.url()), SECRET, clock, new HttpPost(SETTINGS.timeout()));
    }

    @BeforeEach
    void start() {
        start(webhook());
    }

    @AfterEach
    void stop() {
        process.close();
        receiver.close();
    }

    private void record(String type) {
        process.audit().record(AuditEvent.of(clock.instant(), type, "user-1", "family-1", "native", new RequestInfo("192.0.2.7", "Agent/1"),
                Map.of("risk_decision", "deny", "risk_score", "90")));
    }

    private List<AuditEvent> failures() {
        return process.audit().tail(100).stream().filter(e -> e.type().equals("notice.failed")).toList();
    }

    @Test
    void aToldEventIsPostedOnceAsJsonWithAVerifiableSignatureAndItsId() {
        record("login.denied");

        assertThat(process.deliverer().deliverDue()).isEqualTo(1);

        Post post = receiver.posts().getFirst();
        assertThat(post.contentType()).isEqualTo("application/json");
        assertThat(post.signature()).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
        assertThat(WebhookReceiver.verifies(post, SECRET, clock.instant(), Duration.ofMinutes(5))).isTrue();
        assertThat(post.json()).containsEntry("id", post.eventId()).containsEntry("type", "login.denied").containsEntry("user_id", "user-1")
                .containsEntry("session_id", "family-1").containsEntry("client_id", "native").containsEntry("ip", "192.0.2.7")
                .containsEntry("user_agent", "Agent/1").containsEntry("time", START.toString())
                .containsEntry("detail", Map.of("risk_decision", "deny", "risk_score", "90"));
        assertThat(post.json().get("audit_id")).isEqualTo((int) process.audit().tail(1).getFirst().id());
        assertThat(process.outbox().pending()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(process.deliverer().deliverDue()).isZero();
        assertThat(receiver.posts()).hasSize(1);
    }

    @Test
    void aSignatureFailsForAnotherKeyAnotherBodyOrAnOldTime() {
        record("refresh.denied");
        process.deliverer().deliverDue();
        Post post = receiver.posts().getFirst();

        assertThat(WebhookReceiver.verifies(post, SECRET + "x", clock.instant(), Duration.ofMinutes(5))).isFalse();
        Post altered = new Post(post.eventId(), post.signature(), post.contentType(),
                post.text().replace("refresh.denied", "refresh.allowed").getBytes(StandardCharsets.UTF_8), post.answered());
        assertThat(WebhookReceiver.verifies(altered, SECRET, clock.instant(), Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookReceiver.verifies(post, SECRET, clock.instant().plus(Duration.ofMinutes(6)), Duration.ofMinutes(5)))
                .as("replayed after the tolerance").isFalse();
    }

    @Test
    void eventsOfOtherTypesAreNeverQueuedNorPosted() {
        for (String type : List.of("login.succeeded", "token.revoked", "logout.delivered", "notice.failed", "login.failed")) record(type);

        assertThat(process.outbox().pending()).isZero();
        assertThat(process.deliverer().deliverDue()).isZero();
        record("login.step_up");
        process.deliverer().deliverDue();

        assertThat(receiver.posts()).singleElement().satisfies(p -> assertThat(p.json()).containsEntry("type", "login.step_up"));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429})
    void aFailureIsTriedAgainAfterTheBackoffAndThenDeliveredOnce(int status) {
        receiver.answer(status);
        record("refresh_token.reuse_detected");

        process.deliverer().deliverDue();
        assertThat(process.outbox().pending()).as("kept for another attempt").isEqualTo(1);
        assertThat(process.deliverer().deliverDue()).as("not due before the backoff").isZero();
        clock.advance(FIRST);
        assertThat(process.deliverer().deliverDue()).isEqualTo(1);

        assertThat(receiver.posts()).extracting(Post::answered).containsExactly(status, 200);
        assertThat(receiver.posts()).extracting(Post::eventId).as("the same notice both times").containsOnly(receiver.posts().getFirst().eventId());
        assertThat(WebhookReceiver.verifies(receiver.posts().getLast(), SECRET, clock.instant(), Duration.ofMinutes(5)))
                .as("signed afresh at the retry").isTrue();
        assertThat(process.outbox().pending()).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(process.deliverer().deliverDue()).isZero();
        assertThat(receiver.posts()).hasSize(2);
        assertThat(failures()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 302})
    void aRefusalIsNotTriedAgainAndIsAudited(int status) {
        receiver.answer(status);
        record("login.new_device");

        process.deliverer().deliverDue();
        clock.advance(Duration.ofMinutes(10));
        process.deliverer().deliverDue();

        assertThat(receiver.posts()).hasSize(1);
        assertThat(process.outbox().pending()).isZero();
        assertThat(failures()).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reason", "refused")
                .containsEntry("status", Integer.toString(status)).containsEntry("notice_type", "login.new_device")
                .containsEntry("notice_id", receiver.posts().getFirst().eventId()));
    }

    @Test
    void failuresPastTheBoundAreGivenUpAuditedAndNotTriedForever() {
        for (int i = 0; i < 100; i++) receiver.answer(503);
        record("refresh.step_up");

        for (int pass = 0; pass < 50 && process.outbox().pending() > 0; pass++) {
            process.deliverer().deliverDue();
            clock.advance(Duration.ofSeconds(40));
        }

        assertThat(process.outbox().pending()).isZero();
        // 5 + 10 + 20 + 40 + 40 s between attempts: the next after 115 s would pass the bound of 2 minutes.
        assertThat(receiver.posts()).hasSizeBetween(4, 6);
        assertThat(failures()).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reason", "gave_up")
                .containsEntry("status", "503"));
    }

    @Test
    void aWebhookThatCannotBeReachedIsTriedAgainUntilTheBoundAndThenGivenUp() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        start(new WebhookNotifier(URI.create("http://127.0.0.1:" + closed + "/hook"), SECRET, clock, new HttpPost(SETTINGS.timeout())));
        record("refresh_token.reuse_detected");

        process.deliverer().deliverDue();
        assertThat(process.outbox().pending()).as("kept for another attempt").isEqualTo(1);
        for (int pass = 0; pass < 50 && process.outbox().pending() > 0; pass++) {
            clock.advance(Duration.ofSeconds(40));
            process.deliverer().deliverDue();
        }

        assertThat(process.outbox().pending()).isZero();
        assertThat(failures()).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reason", "gave_up")
                .containsEntry("status", "network_error").containsEntry("notice_type", "refresh_token.reuse_detected"));
    }

    @Test
    void aNoticeQueuedBeforeARestartIsDeliveredAfterIt() {
        record("refresh_token.reuse_detected");

        start(webhook()); // the first process ends having delivered nothing

        assertThat(process.deliverer().deliverDue()).isEqualTo(1);
        assertThat(receiver.posts()).singleElement().satisfies(p -> assertThat(p.json()).containsEntry("type", "refresh_token.reuse_detected"));
    }

    @Test
    void theLogNotifierWritesOneLineOfTheNoticesJson() {
        start(new LogNotifier());
        record("login.denied");

        String log = StdErr.during(process.deliverer()::deliverDue);

        List<String> lines = log.lines().filter(l -> l.contains("security notice")).toList();
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).contains("\"type\":\"login.denied\"", "\"user_id\":\"user-1\"",
                "\"session_id\":\"family-1\""));
        assertThat(process.outbox().pending()).isZero();
    }
}
