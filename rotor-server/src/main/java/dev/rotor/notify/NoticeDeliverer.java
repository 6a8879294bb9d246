package dev.rotor.notify;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.outbox.OutboxDeliverer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the notice outbox to the {@link Notifier} in the background, with the loop back-channel logout uses
 * ({@link OutboxDeliverer}): 2xx delivered; 429, 5xx, a network error or a timeout tried again with exponential backoff
 * until {@link OutboxDeliverer.Settings#giveUpAfter}; any other status refused. A notice refused or given up is audited
 * ({@code notice.failed}, which is not itself told) and logged. Every node may run one; each notice is claimed by one
 * node at a time, and delivered at least once: a node that dies between the POST and the removal leaves the row to be
 * sent again, with the same {@code Rotor-Event-Id}, when its lease runs out.
 */
public final class NoticeDeliverer extends OutboxDeliverer<NoticeDelivery> {
    private static final Logger LOG = LoggerFactory.getLogger(NoticeDeliverer.class);

    public NoticeDeliverer(NoticeOutbox outbox, Notifier notifier, AuditLog audit, Clock clock, OutboxDeliverer.Settings settings) {
        super("notice", outbox, new Channel(notifier, audit), clock, settings);
    }

    private record Channel(Notifier notifier, AuditLog audit) implements OutboxDeliverer.Channel<NoticeDelivery> {
        @Override
        public Integer send(NoticeDelivery d) {
            return notifier.send(d.notice());
        }

        @Override
        public void delivered(NoticeDelivery d, int status, int attempts, Instant now) {
            LOG.debug("security notice {} delivered after {} attempts", d.id(), attempts);
        }

        @Override
        public void abandoned(NoticeDelivery d, Integer status, int attempts, String reason, Instant now) {
            AuditEvent e = d.notice().event();
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("notice_id", d.id());
            detail.put("notice_type", e.type());
            detail.put("audit_id", Long.toString(e.id()));
            detail.put("attempts", Integer.toString(attempts));
            detail.put("status", status == null ? "network_error" : status.toString());
            detail.put("reason", reason);
            audit.record(AuditEvent.of(now, "notice.failed", e.userId(), e.sessionId(), e.clientId(), RequestInfo.NONE, detail));
            LOG.warn("security notice {} ({}) to {} {} after {} attempts (last status {})", d.id(), e.type(), notifier.describe(),
                    reason.equals("refused") ? "refused" : "given up", attempts, status == null ? "network error" : status);
        }
    }
}
