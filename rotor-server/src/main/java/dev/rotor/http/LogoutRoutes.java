package dev.rotor.http;

import dev.rotor.logout.EndSession;
import dev.rotor.oauth.OAuthException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code GET} and {@code POST /oauth2/logout} (OIDC RP-Initiated Logout 1.0, the {@code end_session_endpoint}): parses,
 * asks {@link EndSession}, renders the confirmation page, the "signed out" page, an error page or the 303 back to the
 * client. A POST that carries the confirmation page's CSRF field is the user's answer; any other is a client's request.
 */
final class LogoutRoutes {
    private static final String TITLE = "Sign-out cannot continue";
    private final EndSession endSession;
    private final AuthorizeRoutes authorize;
    private final HttpOnlyCookie ssoCookie;
    private final HostedPages pages;
    private final Edge edge;

    LogoutRoutes(EndSession endSession, AuthorizeRoutes authorize, HttpOnlyCookie ssoCookie, HostedPages pages, Edge edge) {
        this.endSession = endSession;
        this.authorize = authorize;
        this.ssoCookie = ssoCookie;
        this.pages = pages;
        this.edge = edge;
    }

    void logout(Context ctx) {
        OAuthErrors.noStore(ctx);
        try {
            if (ctx.method().name().equals("POST")) {
                Map<String, List<String>> form = checkedForm(ctx);
                if (form.containsKey(HostedPages.CSRF_FIELD)) {
                    confirm(ctx);
                    return;
                }
                render(ctx, endSession.request(form, authorize.session(ctx), edge.requestInfo(ctx)));
            } else {
                render(ctx, endSession.request(ctx.queryParamMap(), authorize.session(ctx), edge.requestInfo(ctx)));
            }
        } catch (OAuthException e) {
            pages.error(ctx, TITLE, e.error());
        } catch (HostedPages.Refused e) {
            pages.error(ctx, TITLE, e.error);
        }
    }

    private void confirm(Context ctx) {
        Map<String, String> form = pages.checkedForm(ctx);
        boolean alsoApps = "yes".equals(form.get(HostedPages.SIGN_OUT_APPS));
        render(ctx, endSession.confirm(form, authorize.session(ctx), alsoApps, edge.requestInfo(ctx)));
    }

    private static Map<String, List<String>> checkedForm(Context ctx) {
        if (!RequestBody.hasMediaType(ctx, RequestBody.FORM)) throw HttpFailure.UNSUPPORTED_MEDIA_TYPE.refusal("Content-Type must be application/x-www-form-urlencoded");
        return RequestBody.form(ctx);
    }

    private void render(Context ctx, EndSession.Step step) {
        switch (step) {
            case EndSession.Confirm c -> pages.logoutConfirm(ctx, c.clientId(), c.hidden());
            case EndSession.Done d -> {
                if (d.ended()) ssoCookie.clear(ctx);
                if (d.redirectUri() == null) {
                    pages.signedOut(ctx);
                } else {
                    ctx.status(303).header("Location", d.state() == null ? d.redirectUri()
                            : AuthorizeRoutes.withQuery(d.redirectUri(), Map.of(EndSession.STATE, d.state())));
                }
            }
        }
    }
}
