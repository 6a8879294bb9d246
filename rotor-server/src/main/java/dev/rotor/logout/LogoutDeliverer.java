package dev.rotor.logout;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.outbox.HttpPost;
import dev.rotor.outbox.OutboxDeliverer;
import dev.rotor.session.LogoutNotice;
import dev.rotor.token.LogoutTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the back-channel logout outbox (Back-Channel Logout 1.0 §2.5): the background loop of
 * {@link OutboxDeliverer} claims due rows, and each attempt signs a logout token and POSTs it as
 * {@code logout_token=...} to the client's URI, never in the request that ended the session. Any 2xx is delivered
 * (§2.8 asks for 200); 400 is the client's refusal, and so is any other 4xx or 3xx (redirects are not followed: the
 * registered URI is where the token goes); a network error, a timeout, 429 and 5xx are tried again with exponential
 * backoff until {@link OutboxDeliverer.Settings#giveUpAfter}. Every outcome but a retry is audited.
 */
public final class LogoutDeliverer extends OutboxDeliverer<LogoutDelivery> {
    private static final Logger LOG = LoggerFactory.getLogger(LogoutDeliverer.class);

    public LogoutDeliverer(LogoutOutbox outbox, LogoutTokens tokens, AuditLog audit, Clock clock, OutboxDeliverer.Settings settings) {
        super("logout", outbox, new Channel(tokens, audit, new HttpPost(settings.timeout())), clock, settings);
    }

    private record Channel(LogoutTokens tokens, AuditLog audit, HttpPost post) implements OutboxDeliverer.Channel<LogoutDelivery> {
        @Override
        public Integer send(LogoutDelivery d) {
            return post(d.notice());
        }

        @Override
        public void delivered(LogoutDelivery d, int status, int attempts, Instant now) {
            record(now, "logout.delivered", d, status, attempts, null);
        }

        @Override
        public void abandoned(LogoutDelivery d, Integer status, int attempts, String reason, Instant now) {
            record(now, "logout.failed", d, status, attempts, reason);
            if (reason.equals("refused")) {
                LOG.warn("back-channel logout to client {} refused with HTTP {}; not retried", d.notice().clientId(), status);
            } else {
                LOG.warn("back-channel logout to client {} abandoned after {} attempts", d.notice().clientId(), attempts);
            }
        }

        /** The receiver's status; null for a network error or a timeout. The token is made now, fresh for this attempt. */
        private Integer post(LogoutNotice n) {
            String token = tokens.issue(n.clientId(), n.subject(), n.sid());
            byte[] form = ("logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
            URI uri;
            try {
                uri = URI.create(n.uri());
            } catch (IllegalArgumentException e) {
                return null;
            }
            // The body says nothing we use (§2.8).
            return post.send("back-channel logout to client " + n.clientId(), uri, form, "Content-Type", "application/x-www-form-urlencoded");
        }

        private void record(Instant now, String type, LogoutDelivery d, Integer status, int attempts, String reason) {
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("uri", d.notice().uri());
            if (d.notice().sid() != null) detail.put("sso_session", d.notice().sid());
            detail.put("attempts", Integer.toString(attempts));
            detail.put("status", status == null ? "network_error" : status.toString());
            if (reason != null) detail.put("reason", reason);
            audit.record(AuditEvent.of(now, type, d.notice().subject(), null, d.notice().clientId(), RequestInfo.NONE, detail));
        }
    }
}
