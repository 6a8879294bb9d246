package dev.rotor.http;

import dev.rotor.oauth.authorize.AuthorizationResponse;
import dev.rotor.oauth.authorize.AuthorizeFlow;
import dev.rotor.signin.SecondFactors;
import dev.rotor.oauth.authorize.ResponseMode;
import dev.rotor.sso.SsoSession;
import dev.rotor.sso.SsoSessions;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /oauth2/authorize} and its pages: parses, asks {@link AuthorizeFlow} for the next step, renders it. The single
 * sign-on cookie is read and written here and nowhere else.
 */
final class AuthorizeRoutes {
    private final AuthorizeFlow flow;
    private final SsoSessions sso;
    private final HttpOnlyCookie ssoCookie;
    private final HostedPages pages;
    private final Edge edge;
    private final Clock clock;

    AuthorizeRoutes(AuthorizeFlow flow, SsoSessions sso, HttpOnlyCookie ssoCookie, HostedPages pages, Edge edge, Clock clock) {
        this.flow = flow;
        this.sso = sso;
        this.ssoCookie = ssoCookie;
        this.pages = pages;
        this.edge = edge;
        this.clock = clock;
    }

    /** {@code GET /oauth2/authorize}, and {@code POST} with the same parameters form-encoded (OIDC Core §3.1.2.1). */
    void authorize(Context ctx) {
        Map<String, List<String>> params = ctx.method().name().equals("POST") ? RequestBody.form(ctx) : ctx.queryParamMap();
        render(ctx, flow.authorize(params, session(ctx)));
    }

    /** The sign-in form (its CSRF token and origin checked first, as every page's form). */
    void signIn(Context ctx) {
        Map<String, String> form = pages.checkedForm(ctx);
        AuthorizeFlow.SignedIn result = flow.signIn(form.get(HostedPages.INTERACTION), form.get("username"), form.get("password"), session(ctx),
                edge.signInRequest(ctx));
        signedIn(ctx, result);
    }

    /** The next step of a sign-in form: the single sign-on and device cookies once it went through (or is held, for the device). */
    private void signedIn(Context ctx, AuthorizeFlow.SignedIn result) {
        if (result.started() != null) ssoCookie.set(ctx, result.started().cookieSecret(), result.started().session().expiresAt(), clock.instant());
        if (result.started() != null || result.step() instanceof AuthorizeFlow.ShowSecondFactor) edge.keepDevice(ctx);
        render(ctx, result.step());
    }

    /**
     * The second-factor form: {@code code} (spaces ignored) or, when that is empty, {@code recovery_code}; its CSRF
     * token and origin checked first.
     */
    void secondFactor(Context ctx) {
        Map<String, String> form = pages.checkedForm(ctx);
        AuthorizeFlow.SignedIn result = flow.secondFactor(form.get(HostedPages.INTERACTION), form.get("mfa_token"), proof(form), session(ctx),
                edge.signInRequest(ctx));
        signedIn(ctx, result);
    }

    /** The code a form carries, or null for none. */
    static SecondFactors.Proof proof(Map<String, String> form) {
        String code = form.getOrDefault("code", "").replace(" ", "");
        if (!code.isEmpty()) return new SecondFactors.Proof.Otp(code);
        String recovery = form.getOrDefault("recovery_code", "").strip();
        return recovery.isEmpty() ? null : new SecondFactors.Proof.RecoveryCode(recovery);
    }

    /** The consent form: {@code decision=allow} or anything else, which denies. */
    void consent(Context ctx) {
        Map<String, String> form = pages.checkedForm(ctx);
        render(ctx, flow.consent(form.get(HostedPages.INTERACTION), session(ctx), "allow".equals(form.get("decision"))));
    }

    /** The browser's live single sign-on session; a cookie that names none is dropped. */
    Optional<SsoSession> session(Context ctx) {
        String secret = ssoCookie.read(ctx);
        Optional<SsoSession> s = sso.current(secret);
        if (secret != null && s.isEmpty()) ssoCookie.clear(ctx);
        return s;
    }

    private void render(Context ctx, AuthorizeFlow.Step step) {
        OAuthErrors.noStore(ctx);
        switch (step) {
            case AuthorizeFlow.ShowSignIn s -> pages.signIn(ctx, s);
            case AuthorizeFlow.ShowSecondFactor f -> pages.secondFactor(ctx, f);
            case AuthorizeFlow.ShowConsent c -> pages.consent(ctx, c);
            case AuthorizeFlow.ShowError e -> pages.error(ctx, e);
            case AuthorizeFlow.Respond r -> respond(ctx, r.response());
        }
    }

    private void respond(Context ctx, AuthorizationResponse r) {
        if (r.mode() == ResponseMode.FORM_POST) {
            pages.formPost(ctx, r);
            return;
        }
        ctx.status(303).header("Location", withQuery(r.redirectUri(), r.params()));
    }

    /** RFC 6749 §4.1.2: the parameters added to the redirect URI's query, keeping the query it already has. */
    static String withQuery(String uri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(uri).append(uri.indexOf('?') < 0 ? '?' : '&');
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) b.append('&');
            first = false;
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
