package dev.rotor.store;

import dev.rotor.notify.NoticeDelivery;
import dev.rotor.notify.NoticeOutbox;
import dev.rotor.notify.SecurityNotice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * {@link NoticeOutbox} on the SQL database (table {@code notice_deliveries}); claims and retries are those of every
 * {@link JdbcOutbox}. A row names its audit event by id, and a claim reads the event with it.
 *
 * <p>Why an outbox written with the event rather than a reader that follows the audit log by id: on PostgreSQL ids
 * come from a sequence and transactions commit in any order, so a reader that remembered the last id it saw could pass
 * an event that commits a moment later with a lower id, and never tell it. A row written in the event's own
 * transaction is there exactly when the event is.
 */
public final class JdbcNoticeOutbox extends JdbcOutbox<NoticeDelivery> implements NoticeOutbox {
    /** The row and its audit event ({@code a}, read as {@link JdbcAuditLog} reads one). */
    private static final String COLUMNS = "o.id AS notice_id, o.attempts, o.next_attempt_at, o.last_status, o.created_at, "
            + "a.id, a.at, a.type, a.user_id, a.session_id, a.client_id, a.ip, a.user_agent, a.detail";

    public JdbcNoticeOutbox(Database db) {
        super(db, "notice_deliveries", COLUMNS, " JOIN audit_events a ON a.id = o.audit_id", JdbcNoticeOutbox::delivery);
    }

    /** Queues a notice of the audit event {@code auditId}, due at {@code now}: {@link JdbcAuditLog} calls this in the event's transaction. */
    static void insert(Tx tx, long auditId, Instant now) throws SQLException {
        tx.update("INSERT INTO notice_deliveries (id, audit_id, attempts, next_attempt_at, created_at) VALUES (?, ?, 0, ?, ?)",
                UUID.randomUUID().toString(), auditId, now, now);
    }

    private static NoticeDelivery delivery(ResultSet rs) throws SQLException {
        return new NoticeDelivery(new SecurityNotice(rs.getString("notice_id"), JdbcAuditLog.map(rs)), rs.getInt("attempts"),
                Rows.instant(rs, "next_attempt_at"), JdbcOutbox.lastStatus(rs), Rows.instant(rs, "created_at"));
    }
}
