package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.logout.LogoutDelivery;
import dev.rotor.logout.LogoutOutbox;
import dev.rotor.session.LogoutNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LogoutOutbox} must have, run by one subclass per database on a fresh, empty one. */
public abstract class LogoutOutboxContract {
    protected static final Instant NOW = Instant.parse("2026-12-03T10:15:30.250Z");
    private static final String URI = "https://rp.example.test/backchannel";
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected LogoutOutbox outbox;

    protected abstract LogoutOutbox openOutbox() throws Exception;

    /** A second outbox on the same database, as another node would open it. */
    protected abstract LogoutOutbox openAnotherNode() throws Exception;

    protected void closeOutbox() throws Exception {}

    @BeforeEach
    void openFresh() throws Exception {
        outbox = openOutbox();
    }

    @AfterEach
    void close() throws Exception {
        closeOutbox();
    }

    private static LogoutNotice notice(String client, String subject, String sid) {
        return new LogoutNotice(client, URI, subject, sid);
    }

    @Test
    void aQueuedNoticeIsClaimedWithEveryFieldDueAtOnce() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1"), notice("app", "user-1", null)), NOW);

        List<LogoutDelivery> claimed = outbox.claim(NOW, NOW.plus(LEASE), 10);

        assertThat(claimed).extracting(LogoutDelivery::notice)
                .containsExactlyInAnyOrder(notice("web", "user-1", "sso-1"), notice("app", "user-1", null));
        assertThat(claimed).allSatisfy(d -> {
            assertThat(d.attempts()).isZero();
            assertThat(d.nextAttemptAt()).isEqualTo(NOW);
            assertThat(d.createdAt()).isEqualTo(NOW);
            assertThat(d.lastStatus()).isNull();
        });
        assertThat(claimed).extracting(LogoutDelivery::id).doesNotHaveDuplicates();
        assertThat(outbox.pending()).isEqualTo(2);
    }

    @Test
    void aNoticeForTheSameClientUserAndSessionIsQueuedOnceWhileUndelivered() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1")), NOW);
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1"), notice("web", "user-1", null)), NOW.plusSeconds(1));
        outbox.enqueue(List.of(notice("web", "user-1", null)), NOW.plusSeconds(2));
        assertThat(outbox.pending()).as("one per (client, uri, subject, sid); a null sid is a value like any other").isEqualTo(2);

        outbox.enqueue(List.of(notice("web", "user-1", "sso-2"), notice("web", "user-2", "sso-1"), notice("app", "user-1", "sso-1"),
                new LogoutNotice("web", URI + "/other", "user-1", "sso-1")), NOW);
        assertThat(outbox.pending()).as("another sid, subject, client or URI is another notice").isEqualTo(6);
    }

    @Test
    void onceDeliveredTheSameNoticeMayBeQueuedAgain() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1")), NOW);
        outbox.remove(outbox.claim(NOW, NOW.plus(LEASE), 10).getFirst().id());
        assertThat(outbox.pending()).isZero();

        outbox.enqueue(List.of(notice("web", "user-1", "sso-1")), NOW.plusSeconds(5));
        assertThat(outbox.pending()).isEqualTo(1);
    }

    @Test
    void onlyDueRowsAreClaimedOldestFirstUpToTheLimit() {
        outbox.enqueue(List.of(notice("c", "user-1", "s")), NOW.plusSeconds(2));
        outbox.enqueue(List.of(notice("a", "user-1", "s")), NOW);
        outbox.enqueue(List.of(notice("b", "user-1", "s")), NOW.plusSeconds(1));
        outbox.enqueue(List.of(notice("later", "user-1", "s")), NOW.plusSeconds(60));

        assertThat(outbox.claim(NOW.minusMillis(1), NOW.plus(LEASE), 10)).as("nothing due yet").isEmpty();
        assertThat(outbox.claim(NOW.plusSeconds(2), NOW.plus(LEASE), 2)).extracting(d -> d.notice().clientId()).containsExactly("a", "b");
        assertThat(outbox.claim(NOW.plusSeconds(2), NOW.plus(LEASE), 10)).extracting(d -> d.notice().clientId()).containsExactly("c");
    }

    @Test
    void aClaimedRowIsHiddenUntilItsLeaseRunsOutThenClaimableAgain() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1")), NOW);
        LogoutDelivery first = outbox.claim(NOW, NOW.plus(LEASE), 10).getFirst();

        assertThat(outbox.claim(NOW.plusSeconds(1), NOW.plusSeconds(1).plus(LEASE), 10)).as("held by the first claim").isEmpty();
        assertThat(outbox.claim(NOW.plus(LEASE).minusMillis(1), NOW.plus(LEASE).plus(LEASE), 10)).as("a millisecond before").isEmpty();

        List<LogoutDelivery> takenOver = outbox.claim(NOW.plus(LEASE), NOW.plus(LEASE).plus(LEASE), 10);
        assertThat(takenOver).as("a deliverer that died mid-delivery: another takes the row over").extracting(LogoutDelivery::id)
                .containsExactly(first.id());
    }

    @Test
    void rescheduleRecordsTheAttemptReleasesTheLeaseAndMakesItDueLater() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1")), NOW);
        LogoutDelivery d = outbox.claim(NOW, NOW.plus(LEASE), 10).getFirst();

        outbox.reschedule(d.id(), 1, NOW.plusSeconds(5), 503);

        assertThat(outbox.claim(NOW.plusSeconds(4), NOW.plus(LEASE), 10)).as("not due before its next attempt").isEmpty();
        LogoutDelivery again = outbox.claim(NOW.plusSeconds(5), NOW.plus(LEASE).plusSeconds(5), 10).getFirst();
        assertThat(again.id()).isEqualTo(d.id());
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(again.lastStatus()).isEqualTo(503);
        assertThat(again.nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(again.createdAt()).as("the age that decides giving up stays the first queueing's").isEqualTo(NOW);

        outbox.reschedule(d.id(), 2, NOW.plusSeconds(15), null);
        assertThat(outbox.claim(NOW.plusSeconds(15), NOW.plus(LEASE).plusSeconds(15), 10).getFirst().lastStatus())
                .as("a network error has no status").isNull();
    }

    @Test
    void removeDeletesOneRowAndAMissingRowIsNoError() {
        outbox.enqueue(List.of(notice("web", "user-1", "sso-1"), notice("app", "user-1", "sso-1")), NOW);
        List<LogoutDelivery> claimed = outbox.claim(NOW, NOW.plus(LEASE), 10);

        outbox.remove(claimed.getFirst().id());
        outbox.remove(claimed.getFirst().id());
        outbox.remove("no-such-row");

        assertThat(outbox.pending()).isEqualTo(1);
        assertThat(outbox.claim(NOW.plus(LEASE), NOW.plus(LEASE).plus(LEASE), 10)).extracting(LogoutDelivery::id)
                .containsExactly(claimed.get(1).id());
    }

    @Test
    void enqueueingNothingWritesNothing() {
        outbox.enqueue(List.of(), NOW);
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void twoNodesClaimingAtOnceNeverTakeTheSameRow() throws Exception {
        List<LogoutNotice> notices = new ArrayList<>();
        for (int i = 0; i < 60; i++) notices.add(notice("client-" + i, "user-1", "sso-1"));
        outbox.enqueue(notices, NOW);
        LogoutOutbox other = openAnotherNode();
        List<LogoutOutbox> nodes = List.of(outbox, other, outbox, other);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<List<String>>> claims = new ArrayList<>();
            for (LogoutOutbox node : nodes) {
                Callable<List<String>> claimAll = () -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    for (List<LogoutDelivery> batch; !(batch = node.claim(NOW, NOW.plus(LEASE), 7)).isEmpty(); ) {
                        batch.forEach(d -> mine.add(d.id()));
                    }
                    return mine;
                };
                claims.add(pool.submit(claimAll));
            }
            go.countDown();
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (Future<List<String>> f : claims) {
                List<String> mine = f.get();
                total += mine.size();
                seen.addAll(mine);
            }
            assertThat(total).as("each row claimed once, none twice").isEqualTo(60);
            assertThat(seen).hasSize(60);
        } finally {
            pool.shutdownNow();
        }
    }
}
