package dev.rotor.http;

import dev.rotor.oauth.RevocationRequest;
import dev.rotor.oauth.TokenRevocation;
import io.javalin.http.Context;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): the form as at the token endpoint ({@link ClientForm}), then
 * {@link TokenRevocation}. Success is {@code 200} with an empty body, whatever the token was (RFC 7009 §2.2).
 */
final class RevocationRoutes {
    static final String TOKEN = "token";

    private final TokenRevocation revocation;
    private final Edge edge;

    RevocationRoutes(TokenRevocation revocation, Edge edge) {
        this.revocation = revocation;
        this.edge = edge;
    }

    void revoke(Context ctx) {
        OAuthErrors.noStore(ctx);
        ClientForm form = ClientForm.read(ctx);
        revocation.revoke(new RevocationRequest(form.param(TOKEN), form.tokenTypeHint(), form.credentials(), edge.requestInfo(ctx)));
        ctx.status(200);
    }
}
