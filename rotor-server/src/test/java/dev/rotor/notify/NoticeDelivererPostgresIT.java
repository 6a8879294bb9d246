package dev.rotor.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.outbox.HttpPost;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.store.JdbcAuditLog;
import dev.rotor.store.JdbcNoticeOutbox;
import dev.rotor.store.PostgresDatabase;
import dev.rotor.store.PostgresFixture;
import dev.rotor.testing.WebhookReceiver;
import dev.rotor.testing.WebhookReceiver.Post;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, each with its own pool and its own deliverer, running at once over notices
 * written by both: every notice arrives, and arrives once. (The guarantee is at least once: a node that dies between
 * the POST and the removal leaves the row to be sent again, with the same event id, after its lease; these nodes do not
 * die, and their leases outlast every POST, so each is sent exactly once.)
 */
class NoticeDelivererPostgresIT {
    private static final String SECRET = "whsec-pg-0123456789abcdef0123456789abcdef";
    private static final int NOTICES = 60;
    private static final OutboxDeliverer.Settings FAST = new OutboxDeliverer.Settings(Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofMinutes(5), Duration.ofMillis(20), Duration.ofSeconds(5), 4);

    private final WebhookReceiver receiver = new WebhookReceiver();
    private final List<NoticeDeliverer> deliverers = new ArrayList<>();
    private PostgresFixture pg;

    @BeforeEach
    void open() {
        pg = PostgresFixture.create();
    }

    @AfterEach
    void close() {
        deliverers.forEach(NoticeDeliverer::close);
        receiver.close();
        if (pg != null) pg.close();
    }

    @Test
    void twoNodesOnOneDatabaseDeliverEachNoticeOnce() throws Exception {
        List<PostgresDatabase> nodes = List.of(pg.open(), pg.open());
        receiver.answer(503, 503, 500); // some retried, by whichever node claims them next
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < NOTICES; i++) {
                JdbcAuditLog audit = new JdbcAuditLog(nodes.get(i % 2));
                String type = i % 3 == 0 ? "refresh_token.reuse_detected" : "login.new_device";
                int n = i;
                writers.submit(() -> audit.record(AuditEvent.of(Instant.now(), type, "user-" + n, "family-" + n, "native",
                        RequestInfo.NONE, Map.of("n", Integer.toString(n)))));
                writers.submit(() -> audit.record(AuditEvent.of(Instant.now(), "login.succeeded", "user-" + n, null, "native",
                        RequestInfo.NONE, Map.of())));
            }
        }
        assertThat(new JdbcNoticeOutbox(nodes.getFirst()).pending()).isEqualTo(NOTICES);

        for (PostgresDatabase node : nodes) {
            NoticeDeliverer d = new NoticeDeliverer(new JdbcNoticeOutbox(node), new WebhookNotifier(URI.create(receiver.url()), SECRET,
                    Clock.systemUTC(), new HttpPost(FAST.timeout())), new JdbcAuditLog(node), Clock.systemUTC(), FAST);
            deliverers.add(d);
        }
        deliverers.forEach(NoticeDeliverer::start);

        Instant deadline = Instant.now().plusSeconds(60);
        while (new JdbcNoticeOutbox(nodes.getFirst()).pending() > 0 && Instant.now().isBefore(deadline)) Thread.sleep(50);

        assertThat(new JdbcNoticeOutbox(nodes.getFirst()).pending()).isZero();
        List<Post> delivered = receiver.posts().stream().filter(p -> p.answered() == 200).toList();
        assertThat(delivered).extracting(Post::eventId).doesNotHaveDuplicates().hasSize(NOTICES);
        assertThat(delivered.stream().map(p -> (String) ((Map<?, ?>) p.json().get("detail")).get("n")).toList())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, NOTICES).mapToObj(Integer::toString).toList());
        assertThat(receiver.posts()).as("three failed attempts, then each notice once").hasSize(NOTICES + 3);
        assertThat(delivered).allSatisfy(p -> assertThat(WebhookReceiver.verifies(p, SECRET, Instant.now(), Duration.ofMinutes(5))).isTrue());
    }
}
