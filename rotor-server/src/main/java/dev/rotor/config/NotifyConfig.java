package dev.rotor.config;

import java.net.URI;

/**
 * Where security notices go: the log by default, or a webhook.
 *
 * @param webhookUrl    where notices are POSTed; null for the log
 * @param webhookSecret the HMAC-SHA256 key that signs each POST; null exactly when {@code webhookUrl} is. Never printed:
 *                      {@link #toString} masks it
 */
public record NotifyConfig(URI webhookUrl, String webhookSecret) {
    /** The shortest secret taken: 32 characters, 256 bits as hex or more as base64, HMAC-SHA256's own strength. */
    public static final int MIN_SECRET_LENGTH = 32;
    public static final NotifyConfig LOG = new NotifyConfig(null, null);

    public NotifyConfig {
        if ((webhookUrl == null) != (webhookSecret == null)) throw new IllegalArgumentException("a webhook needs its URL and its secret");
    }

    @Override
    public String toString() {
        return webhookUrl == null ? "NotifyConfig[log]" : "NotifyConfig[webhook=" + webhookUrl.getScheme() + "://" + webhookUrl.getAuthority()
                + ", secret=***]";
    }
}
