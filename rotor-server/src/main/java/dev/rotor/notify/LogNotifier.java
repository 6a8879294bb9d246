package dev.rotor.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default notifier: one line per notice on the log ({@code dev.rotor.notify.LogNotifier} at INFO), the notice's
 * JSON, which a log shipper can hand to a SIEM as it is. It holds no secret, as the notice holds none.
 */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public Integer send(SecurityNotice notice) {
        LOG.info("security notice {}", notice.json());
        return 200;
    }

    @Override
    public String describe() {
        return "the log (dev.rotor.notify.LogNotifier)";
    }
}
