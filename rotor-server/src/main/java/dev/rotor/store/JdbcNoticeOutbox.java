package dev.rotor.store;

import dev.rotor.audit.AuditEvent;
import dev.rotor.notify.NoticeDelivery;
import dev.rotor.notify.NoticeOutbox;
import dev.rotor.notify.SecurityNotice;
import dev.rotor.outbox.Queued;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link NoticeOutbox} on the SQL database (table {@code notice_deliveries}); claims and retries are those of every
 * {@link OutboxTable}. A row names its audit event by id, and a claim reads the events in its own transaction.
 *
 * <p>Why an outbox written with the event rather than a reader that follows the audit log by id: on PostgreSQL ids
 * come from a sequence and transactions commit in any order, so a reader that remembered the last id it saw could pass
 * an event that commits a moment later with a lower id, and never tell it. A row written in the event's own
 * transaction is there exactly when the event is.
 */
public final class JdbcNoticeOutbox implements NoticeOutbox {
    private static final String COLUMNS = "id, audit_id, attempts, next_attempt_at, last_status, created_at";

    /** A claimed row before its event is read. */
    private record Row(String id, long auditId, int attempts, Instant nextAttemptAt, Integer lastStatus, Instant createdAt) implements Queued {}

    private final Database db;
    private final OutboxTable<Row> rows;

    public JdbcNoticeOutbox(Database db) {
        this.db = db;
        this.rows = new OutboxTable<>(db, "notice_deliveries", COLUMNS, JdbcNoticeOutbox::row);
    }

    /** Queues a notice of the audit event {@code auditId}, due at {@code now}: {@link JdbcAuditLog} calls this in the event's transaction. */
    static void insert(Tx tx, long auditId, Instant now) throws SQLException {
        tx.update("INSERT INTO notice_deliveries (id, audit_id, attempts, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)",
                UUID.randomUUID().toString(), auditId, now, now);
    }

    @Override
    public List<NoticeDelivery> claim(Instant now, Instant leaseUntil, int limit) {
        return db.write(tx -> {
            List<Row> claimed = rows.claim(tx, now, leaseUntil, limit);
            if (claimed.isEmpty()) return List.of();
            Map<Long, AuditEvent> events = events(tx, claimed);
            List<NoticeDelivery> out = new ArrayList<>();
            for (Row r : claimed) {
                AuditEvent e = events.get(r.auditId());
                if (e == null) {
                    // Its event is gone (deleted by hand): nothing is left to tell.
                    tx.update("DELETE FROM notice_deliveries WHERE id = ?", r.id());
                    continue;
                }
                out.add(new NoticeDelivery(new SecurityNotice(r.id(), e), r.attempts(), r.nextAttemptAt(), r.lastStatus(), r.createdAt()));
            }
            return out;
        });
    }

    private static Map<Long, AuditEvent> events(Tx tx, List<Row> claimed) throws SQLException {
        String in = String.join(", ", Collections.nCopies(claimed.size(), "?"));
        var ps = tx.prepare("SELECT " + JdbcAuditLog.COLUMNS + " FROM audit_events WHERE id IN (" + in + ")");
        Rows.bind(ps, claimed.stream().map(Row::auditId).toArray());
        Map<Long, AuditEvent> events = new HashMap<>();
        for (AuditEvent e : Rows.list(ps, JdbcAuditLog::map)) events.put(e.id(), e);
        return events;
    }

    @Override
    public void remove(String id) {
        rows.remove(id);
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, Integer lastStatus) {
        rows.reschedule(id, attempts, nextAttemptAt, lastStatus);
    }

    @Override
    public int pending() {
        return rows.pending();
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getLong("audit_id"), rs.getInt("attempts"), Rows.instant(rs, "next_attempt_at"),
                OutboxTable.lastStatus(rs), Rows.instant(rs, "created_at"));
    }
}
