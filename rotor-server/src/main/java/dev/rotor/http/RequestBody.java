package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reading a request body, the one way every route that takes a body does it. */
final class RequestBody {
    private RequestBody() {}

    /**
     * The body's bytes (Javalin keeps them, so a later {@code ctx.formParamMap()} parses these). A body that cannot be
     * read in full is the client's fault and gets {@code invalid_request}, logged at debug level like every refusal:
     * Jetty reports a bad chunk size or fewer bytes than {@code Content-Length} before the connection ends as an
     * {@code IOException} from the read. Anything else (413 for a body over the size limit) passes through.
     */
    static byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (Exception e) {
            // Javalin (Kotlin) does not declare the IOException, so it cannot have a catch clause of its own.
            if (!(e instanceof IOException || e instanceof UncheckedIOException)) throw e;
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "malformed request body", "body unreadable: " + e);
        }
    }

    /** The body as form parameters, read through {@link #bytes}. */
    static Map<String, List<String>> form(Context ctx) {
        bytes(ctx);
        return ctx.formParamMap();
    }
}
