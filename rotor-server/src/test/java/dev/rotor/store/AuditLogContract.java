package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AuditLog} must have, run by one subclass per backend on a fresh, empty log. */
public abstract class AuditLogContract {
    private static final Instant T0 = Instant.parse("2026-11-28T09:14:37.716Z");
    protected AuditLog log;

    protected abstract AuditLog openLog() throws Exception;

    protected void closeLog() throws Exception {}

    @BeforeEach
    void openFreshLog() throws Exception {
        log = openLog();
    }

    @AfterEach
    void close() throws Exception {
        closeLog();
    }

    private static AuditEvent event(int n) {
        return AuditEvent.of(T0.plusMillis(n), "login_failed", null, null, "spa", new RequestInfo("192.0.2." + (n % 250), "curl/8"),
                Map.of("n", Integer.toString(n)));
    }

    private void record(int from, int to) {
        for (int i = from; i < to; i++) log.record(event(i));
    }

    private static List<String> ns(List<AuditEvent> events) {
        return events.stream().map(e -> e.detail().get("n")).toList();
    }

    @Test
    void recordThenReadBackEveryFieldWithAnIdAssigned() {
        AuditEvent e = AuditEvent.of(T0, "refresh_token_reuse", "user-1", "session-1", "spa",
                new RequestInfo("2001:db8::7", "Mozilla/5.0 (X11; Linux x86_64) \"quoted\" ünïcode"),
                Map.of("generation", "4", "first_use_ip", "203.0.113.7", "note", "a \"b\" \\ c\nd"));
        AuditEvent bare = AuditEvent.of(T0.plusMillis(1), "operator", null, null, null, RequestInfo.NONE, Map.of());
        log.record(e);
        log.record(bare);

        List<AuditEvent> all = log.after(0, 10);

        assertThat(all).hasSize(2);
        assertThat(all.get(0).id()).isPositive();
        assertThat(all.get(0)).usingRecursiveComparison().ignoringFields("id").isEqualTo(e);
        assertThat(all.get(1)).usingRecursiveComparison().ignoringFields("id").isEqualTo(bare);
        assertThat(log.tail(10)).isEqualTo(all);
    }

    @Test
    void idsRiseInTheOrderEventsWereRecorded() {
        record(0, 20);

        List<AuditEvent> all = log.after(0, 100);

        assertThat(ns(all)).isEqualTo(IntStream.range(0, 20).mapToObj(Integer::toString).toList());
        assertThat(all).extracting(AuditEvent::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void afterReturnsOnlyLaterEventsOldestFirstAtMostLimit() {
        record(0, 10);
        List<AuditEvent> all = log.after(0, 100);
        long third = all.get(2).id();

        assertThat(ns(log.after(third, 4))).containsExactly("3", "4", "5", "6");
        assertThat(ns(log.after(third, 100))).containsExactly("3", "4", "5", "6", "7", "8", "9");
        assertThat(log.after(all.get(9).id(), 100)).isEmpty();
    }

    @Test
    void tailReturnsTheNewestEventsOldestFirst() {
        assertThat(log.tail(5)).isEmpty();
        record(0, 10);

        assertThat(ns(log.tail(3))).containsExactly("7", "8", "9");
        assertThat(ns(log.tail(100))).hasSize(10).startsWith("0").endsWith("9");
    }

    @Test
    void recordFromManyCallersAtOnceKeepsEveryEventWithItsOwnId() throws Exception {
        try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                done.add(callers.submit(() -> log.record(event(n))));
            }
            for (var f : done) f.get();
        }

        List<AuditEvent> all = log.after(0, 1000);
        assertThat(ns(all)).hasSize(200).doesNotHaveDuplicates();
        assertThat(all).extracting(AuditEvent::id).doesNotHaveDuplicates().isSorted();
    }
}
