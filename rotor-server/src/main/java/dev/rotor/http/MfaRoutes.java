package dev.rotor.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.mfa.IssuedRecoveryCodes;
import dev.rotor.mfa.TotpEnrolment;
import dev.rotor.mfa.TotpFactors;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.signin.SecondFactors.Proof;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The end user's own second factor under {@code /auth/mfa/totp}, for the holder of a Bearer access token of a live
 * session (as {@code /auth/sessions}): enrol TOTP and confirm it with a first code (both within
 * {@link TotpFactors#RECENT_SIGN_IN} of the session's sign-in), disable it with a fresh code.
 * CORS as for the rest of {@code /auth}: the SPA origins of registered clients. A Bearer token is never sent by a
 * browser on its own, so no Origin check is needed against cross-site requests.
 *
 * <pre>
 * curl -X POST -H "Authorization: Bearer $AT" http://localhost:8080/auth/mfa/totp/enroll
 * curl -X POST -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"code":"123456"}' \
 *      http://localhost:8080/auth/mfa/totp/confirm
 * curl -X POST -H "Authorization: Bearer $AT" -H 'Content-Type: application/json' -d '{"recovery_code":"7kq2m-x9c4d-h0tw3"}' \
 *      http://localhost:8080/auth/mfa/totp/disable
 * </pre>
 */
final class MfaRoutes {
    static final String ENROLL = "/auth/mfa/totp/enroll";
    static final String CONFIRM = "/auth/mfa/totp/confirm";
    static final String DISABLE = "/auth/mfa/totp/disable";
    private static final String CODE = "code";
    private static final String RECOVERY_CODE = "recovery_code";
    /** Longer than any code typed by hand with spaces and hyphens; more is not a code. */
    private static final int MAX_CODE = 64;

    private final TotpFactors factors;
    private final Edge edge;

    MfaRoutes(TotpFactors factors, Edge edge) {
        this.factors = factors;
        this.edge = edge;
    }

    /** No body is read: there is nothing to say. The answer holds the secret, so it is never cached. */
    void enroll(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        TotpEnrolment e = factors.enroll(bearer.session().userId(), bearer.session().authTime(), edge.requestInfo(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("secret", e.secret());
        body.put("otpauth_uri", e.otpauthUri());
        body.put("qr_svg", e.qrSvg());
        Json.send(ctx, 200, body);
    }

    void confirm(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        JsonNode body = object(ctx, Set.of(CODE));
        String code = code(body, CODE);
        if (code == null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "code is required");
        IssuedRecoveryCodes codes = factors.confirm(bearer.session().userId(), code, bearer.session().authTime(), edge.requestInfo(ctx));
        Json.send(ctx, 200, Map.of("recovery_codes", codes.codes()));
    }

    void disable(Context ctx) {
        OAuthErrors.noStore(ctx);
        Edge.Bearer bearer = edge.bearer(ctx);
        JsonNode body = object(ctx, Set.of(CODE, RECOVERY_CODE));
        String code = code(body, CODE);
        String recovery = code(body, RECOVERY_CODE);
        if ((code == null) == (recovery == null)) {
            throw new OAuthException(ErrorCode.INVALID_REQUEST, "send exactly one of code and recovery_code");
        }
        factors.disable(bearer.session().userId(), code != null ? new Proof.Otp(code) : new Proof.RecoveryCode(recovery), edge.requestInfo(ctx));
        ctx.status(204);
    }

    /** The body as a JSON object of only the members {@code allowed}: a member this route does not know is a mistake to report. */
    private static JsonNode object(Context ctx, Set<String> allowed) {
        JsonNode body = Json.object(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
                throw new OAuthException(ErrorCode.INVALID_REQUEST, "the body has a member this endpoint does not take",
                        "unknown member " + shown);
            }
        }
        return body;
    }

    /** A code member: null when absent or empty; {@code invalid_request} when not a string or too long. */
    private static String code(JsonNode body, String name) {
        String value = Json.string(body, name);
        if (value == null || value.isEmpty()) return null;
        if (value.length() > MAX_CODE) throw new OAuthException(ErrorCode.INVALID_REQUEST, name + " is too long");
        return value;
    }
}
