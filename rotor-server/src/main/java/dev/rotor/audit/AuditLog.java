package dev.rotor.audit;

import java.util.List;

/** The append-only audit log. */
public interface AuditLog {
    /** Appends the event durably before returning. */
    void record(AuditEvent event);

    /** Events with an id greater than {@code afterId}, oldest first, at most {@code limit}. */
    List<AuditEvent> after(long afterId, int limit);

    /** The newest {@code limit} events, oldest first. */
    List<AuditEvent> tail(int limit);
}
