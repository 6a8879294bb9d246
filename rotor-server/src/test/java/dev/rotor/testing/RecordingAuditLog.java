package dev.rotor.testing;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit log that keeps what it is given, in order, for unit tests to read ({@link #events}). */
public final class RecordingAuditLog implements AuditLog {
    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    @Override
    public List<AuditEvent> after(long afterId, int limit) {
        return List.copyOf(events);
    }

    @Override
    public List<AuditEvent> tail(int limit) {
        return List.copyOf(events);
    }

    /** The newest event kept. */
    public AuditEvent last() {
        return events.getLast();
    }

    /** The types of the events kept, in order. */
    public List<String> types() {
        return events.stream().map(AuditEvent::type).toList();
    }
}
