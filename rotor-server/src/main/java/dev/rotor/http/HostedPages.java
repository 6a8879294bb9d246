package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.authorize.AuthorizationResponse;
import dev.rotor.oauth.authorize.AuthorizeFlow;
import dev.rotor.oauth.authorize.Interactions;
import dev.rotor.signin.SecondFactors;
import dev.rotor.selfservice.AccountPage;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTML pages Rotor shows a browser: sign-in, consent, an error the client must not see, the logout confirmation,
 * the form_post answer and the user's account page. Templates live in {@code src/main/jte} and are compiled to Java at build time; they escape every
 * value for its HTML context. Every page carries a strict Content-Security-Policy (its one stylesheet, and the form_post
 * page its one script, allowed by hash), refuses to be framed and is never cached; every form carries a CSRF token
 * ({@link PageCsrf}) that {@link #checkedForm} checks before the form is read for anything else.
 */
final class HostedPages {
    static final String LOGIN = "/oauth2/authorize/login";
    static final String CONSENT = "/oauth2/authorize/consent";
    /** Where the second-factor step of a page sign-in posts. */
    static final String SECOND_FACTOR = "/oauth2/authorize/mfa";
    /** Where the logout confirmation posts (RP-initiated logout). */
    static final String LOGOUT = "/oauth2/logout";
    /** The user's account page: the apps they allowed, and sign-in when no one is signed in. */
    static final String ACCOUNT = "/account";
    static final String ACCOUNT_LOGIN = "/account/login";
    static final String ACCOUNT_SECOND_FACTOR = "/account/mfa";
    /** Where the account page's "Remove access" buttons post, with {@link #CLIENT_ID}. */
    static final String ACCOUNT_CONSENTS = "/account/consents";
    static final String CLIENT_ID = "client_id";
    static final String INTERACTION = "interaction";
    static final String CSRF_FIELD = "csrf_token";
    /** The logout confirmation's checkbox: {@code yes} when the user also signs out of the session's apps. */
    static final String SIGN_OUT_APPS = "sign_out_apps";

    private static final Logger LOG = LoggerFactory.getLogger(HostedPages.class);
    private static final String CSS = resource("pages.css");
    private static final String START_AGAIN = "Start again from the app you were signing in to.";
    private static final String AUTO_SUBMIT = "document.forms[0].submit();";
    private static final String STYLE_SRC = "style-src " + hashSource(CSS);
    private static final String SCRIPT_SRC = "script-src " + hashSource(AUTO_SUBMIT);
    private static final String BACK_TO_ACCOUNT = "Go back to your account page and try again.";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** What each scope lets an app do, in the words the consent page and the account page show; see {@link #scopeWords}. */
    static final Map<String, String> SCOPE_WORDS = Map.of(
            "openid", "Know who you are on Rotor",
            "profile", "See your name and username",
            "email", "See your email address",
            "offline_access", "Stay connected to your account when you are not using the app");

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final PageCsrf csrf;
    private final String issuerOrigin;

    /** A form refused before it was read: rendered as the error page with its status. */
    static final class Refused extends RuntimeException {
        final transient OAuthError error;

        Refused(OAuthError error) {
            super(error.detail(), null, false, false);
            this.error = error;
        }
    }

    HostedPages(PageCsrf csrf, String issuer) {
        this.csrf = csrf;
        this.issuerOrigin = origin(issuer);
        if (issuerOrigin == null) throw new IllegalArgumentException("the issuer has no origin: " + issuer);
    }

    /**
     * The form of a page's POST, single-valued, after the request has shown that it comes from a page this browser was
     * shown: its {@code Origin} (when the browser sends one) is the issuer's, and its CSRF token is the one made for this
     * browser's cookie, this form action and the form's page handle.
     *
     * @throws Refused 403, before anything else happens, when either is not so
     */
    Map<String, String> checkedForm(Context ctx) {
        String origin = Edge.origin(ctx);
        // With Referrer-Policy: no-referrer the browser sends "Origin: null" for our own forms (Edge.origin reads that as
        // absent); any other origin than ours is another site posting.
        if (origin != null && !origin.equalsIgnoreCase(issuerOrigin)) {
            throw refused("This form was sent from another site.", "Origin " + origin + " is not the issuer's");
        }
        if (!RequestBody.hasMediaType(ctx, RequestBody.FORM)) throw HttpFailure.UNSUPPORTED_MEDIA_TYPE.refusal("Content-Type must be application/x-www-form-urlencoded");
        Map<String, String> form = TokenRoutes.singleValued(RequestBody.form(ctx));
        return switch (csrf.verify(ctx, ctx.endpoint().path, form.get(INTERACTION), form.get(CSRF_FIELD))) {
            case VALID -> form;
            case NO_COOKIE -> throw refused("Your browser did not send back the cookie this page needs. Allow cookies for this site.",
                    "no CSRF cookie");
            case NO_FIELD -> throw refused("This form is missing its security token.", "no CSRF field");
            case WRONG -> throw refused("This form does not belong to a page this browser was shown.", "CSRF token does not match");
        };
    }

    private static Refused refused(String description, String detail) {
        return new Refused(new OAuthError(ErrorCode.ACCESS_DENIED, description, detail));
    }

    void signIn(Context ctx, AuthorizeFlow.ShowSignIn s) {
        Map<String, Object> model = new HashMap<>();
        model.put("client", s.request().client().id());
        model.put("action", LOGIN);
        model.put("interaction", s.interaction());
        model.put("csrf", csrf.issue(ctx, LOGIN, s.interaction()));
        model.put("username", s.username());
        model.put("problem", problem(s.problem()));
        send(ctx, 200, "signin.jte", model, formAction(s.request().redirectUri()));
    }

    /** What the sign-in forms say when an attempt failed; null for none. */
    private static String problem(AuthorizeFlow.SignInProblem problem) {
        return problem == null ? null : switch (problem) {
            // One message for an unknown user, a wrong password and a disabled account, as /auth/login answers.
            case BAD_CREDENTIALS -> "Wrong username or password.";
            case MISSING_FIELDS -> "Enter your username and password.";
            case THROTTLED -> "Too many failed sign-ins. Wait a few minutes, then try again.";
            case REFUSED -> "This sign-in was refused. If you think this is a mistake, contact whoever runs this service.";
            case WRONG_CODE -> "That code is wrong or was used already. Enter the current code from your app.";
            case EXPIRED_STEP -> "That took too long. Sign in again.";
        };
    }

    /** A scope in words for people; an unknown one by its name. */
    static String scopeWords(String scope) {
        return SCOPE_WORDS.getOrDefault(scope, "Use the permission “" + scope + "”");
    }

    /** The account page: its sign-in form, or the signed-in user's apps with a "Remove access" form for each. */
    void account(Context ctx, AccountPage.View view) {
        Map<String, Object> model = new HashMap<>();
        switch (view) {
            case AccountPage.SignInForm f -> {
                model.put("action", ACCOUNT_LOGIN);
                model.put("csrf", csrf.issue(ctx, ACCOUNT_LOGIN, null));
                model.put("username", f.username());
                model.put("problem", problem(f.problem()));
                send(ctx, 200, "accountsignin.jte", model, "form-action 'self'");
            }
            case AccountPage.SecondFactorForm f -> {
                model.put("client", null);
                model.put("action", ACCOUNT_SECOND_FACTOR);
                model.put("interaction", null);
                model.put("mfaToken", f.mfaToken());
                model.put("csrf", csrf.issue(ctx, ACCOUNT_SECOND_FACTOR, null));
                model.put("problem", problem(f.problem()));
                model.put("recovery", f.methods().contains(SecondFactors.RECOVERY_CODE));
                send(ctx, 200, "secondfactor.jte", model, "form-action 'self'");
            }
            case AccountPage.Overview o -> {
                model.put("username", o.user().username());
                model.put("action", ACCOUNT_CONSENTS);
                model.put("csrf", csrf.issue(ctx, ACCOUNT_CONSENTS, null));
                model.put("apps", o.apps().stream().map(a -> new AppListing(a.clientId(), a.scopes().stream().map(HostedPages::scopeWords).toList(),
                        DAY.format(a.allowedAt()), a.allowedAt().toString())).toList());
                model.put("removed", o.removed());
                model.put("logout", LOGOUT);
                send(ctx, 200, "account.jte", model, "form-action 'self'");
            }
        }
    }

    /** A refusal on the account page: the error page, pointing back to the account page rather than to an app. */
    void accountError(Context ctx, String title, OAuthError e) {
        page(ctx, title, e, e.description(), null, BACK_TO_ACCOUNT, ACCOUNT);
    }

    void secondFactor(Context ctx, AuthorizeFlow.ShowSecondFactor f) {
        Map<String, Object> model = new HashMap<>();
        model.put("client", f.request().client().id());
        model.put("action", SECOND_FACTOR);
        model.put("interaction", f.interaction());
        model.put("mfaToken", f.mfaToken());
        model.put("csrf", csrf.issue(ctx, SECOND_FACTOR, f.interaction()));
        model.put("problem", problem(f.problem()));
        model.put("recovery", f.methods().contains(SecondFactors.RECOVERY_CODE));
        send(ctx, 200, "secondfactor.jte", model, formAction(f.request().redirectUri()));
    }

    void consent(Context ctx, AuthorizeFlow.ShowConsent c) {
        Map<String, Object> model = new HashMap<>();
        model.put("client", c.request().client().id());
        model.put("action", CONSENT);
        model.put("interaction", c.interaction());
        model.put("csrf", csrf.issue(ctx, CONSENT, c.interaction()));
        model.put("scopes", c.scopes().stream().map(HostedPages::scopeWords).toList());
        model.put("username", c.username());
        model.put("switchUser", switchUser(c.request().params()));
        send(ctx, 200, "consent.jte", model, formAction(c.request().redirectUri()));
    }

    /**
     * "Not you?": the same authorization request with {@code prompt=login}, which shows the sign-in page, where signing
     * in as someone else ends this browser's single sign-on session (OIDC Core §3.1.2.1).
     */
    private static String switchUser(Map<String, String> params) {
        Map<String, String> again = new LinkedHashMap<>(params);
        again.put("prompt", "login");
        return AuthorizeRoutes.withQuery("/oauth2/authorize", again);
    }

    /** An error of the authorization request, for the user and never the client: an unredirectable request, an expired page. */
    void error(Context ctx, AuthorizeFlow.ShowError e) {
        switch (e.why()) {
            case UNREDIRECTABLE -> page(ctx, "Sign-in cannot continue", e.error(),
                    "The app that sent you here asked in a way Rotor cannot accept, so Rotor cannot send you back to it.", e.error().description(),
                    START_AGAIN);
            case EXPIRED -> page(ctx, "This page has expired", e.error(),
                    "A sign-in page works for " + Interactions.LIFETIME.toMinutes() + " minutes, and only in the browser that opened it.", null, START_AGAIN);
        }
    }

    /** A refused form ({@link Refused}): its description is written for people. */
    void error(Context ctx, OAuthError e) {
        error(ctx, "Sign-in cannot continue", e);
    }

    /** An error page titled {@code title} whose message is the error's description, written for people. */
    void error(Context ctx, String title, OAuthError e) {
        page(ctx, title, e, e.description(), null, START_AGAIN);
    }

    private void page(Context ctx, String title, OAuthError e, String message, String detail, String hint) {
        page(ctx, title, e, message, detail, hint, null);
    }

    /**
     * @param detail technical words for whoever set the app up; null for none
     * @param back   a page of ours to link back to; null for none
     */
    private void page(Context ctx, String title, OAuthError e, String message, String detail, String hint, String back) {
        LOG.debug("{} {} -> {} page {}: {}", ctx.method(), ctx.path(), e.status(), e.code().value(), e.detail());
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("message", message);
        model.put("detail", detail);
        model.put("hint", hint);
        model.put("code", e.code().value());
        model.put("back", back);
        send(ctx, e.status(), "error.jte", model, "form-action 'none'");
    }

    /**
     * The page that asks a signed-in user to confirm RP-initiated logout; its form posts {@code hidden}, the CSRF token
     * and the {@link #SIGN_OUT_APPS} checkbox (checked) to {@link #LOGOUT}, whose handler reads it with
     * {@link #checkedForm}.
     *
     * @param clientId the client that asks, shown by name; null when none is known
     * @param hidden   fields the logout handler needs back (such as {@code state}), posted as they are
     */
    void logoutConfirm(Context ctx, String clientId, Map<String, String> hidden) {
        logoutConfirm(ctx, clientId, hidden, null);
    }

    /**
     * @param redirectUri where the logout POST will redirect once done (a registered post-logout redirect URI), or
     *                    null: the browser enforces the page's form-action on that redirect too
     */
    void logoutConfirm(Context ctx, String clientId, Map<String, String> hidden, String redirectUri) {
        Map<String, Object> model = new HashMap<>();
        model.put("client", clientId);
        model.put("action", LOGOUT);
        model.put("csrf", csrf.issue(ctx, LOGOUT, hidden.get(INTERACTION)));
        model.put("hidden", new LinkedHashMap<>(hidden));
        model.put("appsField", SIGN_OUT_APPS);
        send(ctx, 200, "logout.jte", model, redirectUri == null ? "form-action 'self'" : formAction(redirectUri));
    }

    /** After logout, when there is no registered place to send the browser back to. */
    void signedOut(Context ctx) {
        send(ctx, 200, "signedout.jte", new HashMap<>(), "form-action 'none'");
    }

    /** OAuth 2.0 Form Post Response Mode: a page whose script posts the response to the client, a button without one. */
    void formPost(Context ctx, AuthorizationResponse r) {
        Map<String, Object> model = new HashMap<>();
        model.put("action", r.redirectUri());
        model.put("fields", new LinkedHashMap<>(r.params()));
        model.put("script", AUTO_SUBMIT);
        send(ctx, 200, "formpost.jte", model, formAction(r.redirectUri()) + "; " + SCRIPT_SRC);
    }

    /**
     * form-action covers the redirect that answers the form, so a page whose POST ends in a redirect to the client lists
     * the client's origin. The redirect URI was matched against the client's registered ones before any page is shown.
     */
    private static String formAction(String redirectUri) {
        String source = cspSource(redirectUri);
        return "form-action 'self'" + (source == null ? "" : " " + source);
    }

    /**
     * The CSP source expression that matches {@code uri}: its origin, or its scheme for a private-use scheme (RFC 8252
     * §7.1) and for an IPv6 literal host, which CSP's host grammar cannot name; null when it is no URI.
     */
    static String cspSource(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !scheme.matches("[a-z][a-z0-9+.-]*")) return null;
            String origin = origin(uri);
            return origin == null || u.getHost().startsWith("[") ? scheme + ":" : origin;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private void send(Context ctx, int status, String template, Map<String, Object> model, String formAction) {
        model.put("css", CSS);
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        OAuthErrors.noStore(ctx);
        ctx.header("Content-Security-Policy", "default-src 'none'; " + STYLE_SRC + "; " + formAction
                + "; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** {@code scheme://host[:port]} of an http(s) URI, lower case; null for anything else. */
    static String origin(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("http", "https").contains(scheme) || u.getHost() == null) return null;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** CSP Level 3 hash source: the SHA-256 of the element's text, standard base64. */
    static String hashSource(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HostedPages.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
