package dev.rotor.notify;

/**
 * Where security notices go: {@link LogNotifier} by default, {@link WebhookNotifier} when a webhook is configured.
 * Called from the background deliverer, one notice at a time, never in the request that caused the event.
 */
public interface Notifier {
    /**
     * Tells one notice; the receiver's HTTP status (2xx delivered; 429, 5xx and null, a network error or a timeout, tried
     * again later; any other status refused for good). A notifier that is not HTTP answers 200 once it took the notice.
     */
    Integer send(SecurityNotice notice);

    /** Where notices go, for the start-up log; never a secret. */
    String describe();
}
