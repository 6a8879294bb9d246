package dev.rotor.http;

import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.authorize.AuthorizationResponse;
import dev.rotor.oauth.authorize.AuthorizeFlow;
import io.javalin.http.Context;
import java.util.Map;

/** The HTML pages of the authorization endpoint. */
final class HostedPages {
    /** The form of a page's POST, single-valued; {@code invalid_request} for anything else. */
    Map<String, String> checkedForm(Context ctx) {
        if (!RequestBody.hasMediaType(ctx, RequestBody.FORM)) throw HttpFailure.UNSUPPORTED_MEDIA_TYPE.refusal("Content-Type must be application/x-www-form-urlencoded");
        return TokenRoutes.singleValued(RequestBody.form(ctx));
    }

    void signIn(Context ctx, AuthorizeFlow.ShowSignIn s) {
        String problem = s.problem() == null ? "" : "<p role=\"alert\">" + switch (s.problem()) {
            case BAD_CREDENTIALS -> "Wrong username or password.";
            case DISABLED -> "This account is disabled.";
            case MISSING_FIELDS -> "Enter your username and password.";
        } + "</p>";
        html(ctx, 200, "<h1>Sign in to " + esc(s.request().client().id()) + "</h1>" + problem
                + "<form method=\"post\" action=\"/oauth2/authorize/login\">"
                + hidden("interaction", s.interaction())
                + "<label for=\"username\">Username</label><input id=\"username\" name=\"username\" autocomplete=\"username\" value=\""
                + esc(s.request().loginHint() == null ? "" : s.request().loginHint()) + "\">"
                + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">"
                + "<button type=\"submit\">Sign in</button></form>");
    }

    void consent(Context ctx, AuthorizeFlow.ShowConsent c) {
        html(ctx, 200, "<h1>" + esc(c.request().client().id()) + " wants to access your account</h1><ul>"
                + String.join("", c.scopes().stream().map(x -> "<li>" + esc(x) + "</li>").toList()) + "</ul>"
                + "<form method=\"post\" action=\"/oauth2/authorize/consent\">" + hidden("interaction", c.interaction())
                + "<button name=\"decision\" value=\"allow\">Allow</button><button name=\"decision\" value=\"deny\">Deny</button></form>");
    }

    void error(Context ctx, OAuthError e) {
        html(ctx, e.status(), "<h1>Sign-in cannot continue</h1><p>" + esc(e.description()) + "</p><p>" + esc(e.code().value()) + "</p>");
    }

    void formPost(Context ctx, AuthorizationResponse r) {
        StringBuilder b = new StringBuilder("<form method=\"post\" action=\"" + esc(r.redirectUri()) + "\">");
        r.params().forEach((k, v) -> b.append(hidden(k, v)));
        html(ctx, 200, b.append("<button type=\"submit\">Continue</button></form>").toString());
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    private static void html(Context ctx, int status, String body) {
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Rotor</title>" + body + "</html>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

}
