package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** Reading a request body, the one way every route that takes a body does it. */
final class RequestBody {
    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";
    /** RFC 9110 §5.6.2 tchar, the characters of a token. */
    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private RequestBody() {}

    /**
     * Whether the request's one {@code Content-Type} is exactly the media type {@code expected}: type and subtype
     * compared ignoring case (RFC 9110 §8.3.1), then any parameters (§5.6.6), of which a {@code charset} may only be
     * {@code utf-8}, the one encoding Rotor reads these bodies in (RFC 8259 §8.1 for JSON, RFC 6749 Appendix B for
     * forms). A prefix is not a match ({@code application/jsonx} is another type), and neither is a parameter that
     * does not parse, a second {@code charset} or a second {@code Content-Type} field: a proxy and Rotor must not read
     * one request two ways.
     */
    static boolean hasMediaType(Context ctx, String expected) {
        Enumeration<String> fields = ctx.req().getHeaders("Content-Type");
        String contentType = fields != null && fields.hasMoreElements() ? fields.nextElement() : null;
        return contentType != null && !fields.hasMoreElements() && isMediaType(contentType, expected);
    }

    private static boolean isMediaType(String contentType, String expected) {
        String[] parts = contentType.split(";", -1);
        if (!ows(parts[0]).equalsIgnoreCase(expected)) return false;
        boolean charset = false;
        for (int i = 1; i < parts.length; i++) {
            String parameter = ows(parts[i]);
            if (parameter.isEmpty()) continue;
            int eq = parameter.indexOf('=');
            if (eq <= 0 || !isToken(parameter.substring(0, eq))) return false;
            String value = parameter.substring(eq + 1);
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
            if (!isToken(value)) return false;
            if (parameter.substring(0, eq).equalsIgnoreCase("charset")) {
                if (charset || !value.equalsIgnoreCase("utf-8")) return false;
                charset = true;
            }
        }
        return true;
    }

    /** Without the optional white space (space and tab, RFC 9110 §5.6.3) around it. */
    private static String ows(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) from++;
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) to--;
        return s.substring(from, to);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (TCHAR.indexOf(s.charAt(i)) < 0) return false;
        return true;
    }

    /**
     * The body's bytes (Javalin keeps them, so a later {@code ctx.formParamMap()} parses these). A body that cannot be
     * read in full is the client's fault and gets {@code invalid_request}, logged at debug level like every refusal:
     * Jetty reports a bad chunk size, fewer bytes than {@code Content-Length} before the connection ends, or a body
     * that missed its {@link RequestDeadlines deadline} as an {@code IOException} from the read. Anything else (413 for
     * a body over the size limit) passes through.
     */
    static byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (Exception e) {
            // Javalin (Kotlin) does not declare the IOException, so it cannot have a catch clause of its own.
            if (!(e instanceof IOException || e instanceof UncheckedIOException)) throw e;
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TimeoutException) {
                    throw new OAuthException(ErrorCode.INVALID_REQUEST, "request body not received in time", "body too slow: " + cause.getMessage());
                }
            }
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "malformed request body", "body unreadable: " + e);
        }
    }

    /** The body as form parameters, read through {@link #bytes}. */
    static Map<String, List<String>> form(Context ctx) {
        bytes(ctx);
        return ctx.formParamMap();
    }
}
