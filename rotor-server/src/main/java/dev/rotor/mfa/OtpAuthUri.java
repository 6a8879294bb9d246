package dev.rotor.mfa;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code otpauth://totp/} key URI that authenticator apps import (Google Authenticator's "Key Uri Format"):
 * {@code otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}.
 */
public final class OtpAuthUri {
    /** The issuer shown when the configured issuer URL has no host to show. */
    public static final String DEFAULT_ISSUER = "Rotor";

    private OtpAuthUri() {}

    /** The issuer name for the app: the host of Rotor's issuer URL, or {@link #DEFAULT_ISSUER}. */
    public static String issuerName(String issuerUrl) {
        try {
            String host = issuerUrl == null ? null : URI.create(issuerUrl).getHost();
            return host == null || host.isEmpty() ? DEFAULT_ISSUER : host;
        } catch (IllegalArgumentException e) {
            return DEFAULT_ISSUER;
        }
    }

    /**
     * The URI for {@code account} at {@code issuer}. Both are percent-encoded (UTF-8, a space as {@code %20}), also in
     * the label, so that a colon or {@code ?} in a username cannot move the label's issuer prefix or start the query.
     */
    public static String of(String issuer, String account, TotpSecret secret, Totp totp) {
        if (totp.period().toSeconds() != 30 || totp.digits() != 6) throw new IllegalArgumentException("only users' TOTP gets a key URI");
        return "otpauth://totp/" + encode(issuer) + ":" + encode(account) + "?secret=" + secret.base32() + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
