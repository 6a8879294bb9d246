package dev.rotor.http;

import dev.rotor.account.HashingBusyException;
import dev.rotor.config.RotorConfig;
import dev.rotor.logout.EndSession;
import dev.rotor.mfa.TotpFactors;
import dev.rotor.oauth.BrowserFlow;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.TokenEndpoint;
import dev.rotor.oauth.UserInfo;
import dev.rotor.oauth.authorize.AuthorizeFlow;
import dev.rotor.selfservice.AccountPage;
import dev.rotor.sso.SsoSessions;
import io.javalin.http.Handler;
import dev.rotor.oauth.TokenIntrospection;
import dev.rotor.oauth.TokenRevocation;
import dev.rotor.risk.RiskEngine;
import dev.rotor.session.Sessions;
import dev.rotor.store.StoreException;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.KeyRing;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP surface: every route and the one error mapping, on Javalin (Jetty 12, virtual threads). */
public final class HttpApp {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);
    /** Request bodies above this are refused before parsing (413). */
    static final long MAX_BODY = 16 * 1024;

    /** What the routes need from the core. */
    public record Services(RotorConfig config, Clock clock, TokenEndpoint tokenEndpoint, BrowserFlow browserFlow, Sessions sessions,
                           ClientRegistry clients, AccessTokens accessTokens, KeyRing keys, BooleanSupplier databaseReady,
                           TokenRevocation revocation, TokenIntrospection introspection, AuthorizeFlow authorizeFlow, SsoSessions sso,
                           UserInfo userInfo, byte[] pageCsrfKey, SecureRandom random, EndSession endSession,
                           AccountPage accountPage, TotpFactors totpFactors, RiskEngine risk) {}

    private HttpApp() {}

    public static Javalin create(Services s) {
        return Javalin.create(config -> configure(config, s));
    }

    private static void configure(JavalinConfig config, Services s) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.concurrency.useVirtualThreads = true;
        config.http.maxRequestSize = MAX_BODY;
        config.http.prefer405over404 = true;
        // Our own connector, for its connections' deadlines against slow senders (RequestDeadlines).
        config.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new RequestDeadlines(http));
            connector.setHost(s.config().bind());
            connector.setPort(s.config().port());
            return connector;
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        config.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            h.setRequestHeaderSize(16 * 1024);
            // Jetty reuses a header from the connection's previous request when the new one matches it ignoring
            // case; a token or cookie differing only in letter case would reach us as the earlier value.
            h.setHeaderCacheCaseSensitive(true);
        });
        routes(config, s);
    }

    /** The production routes; tests start exactly these. */
    static void routes(JavalinConfig config, Services s) {
        Edge edge = new Edge(new ClientAddress(s.config().trustedProxies()), s.accessTokens(), s.sessions(),
                new DeviceCookie(s.config().cookieSecure(), s.random()), s.clock());
        HttpOnlyCookie cookie = HttpOnlyCookie.refresh(s.config().cookieName(), s.config().cookieSecure());
        TokenRoutes token = new TokenRoutes(s.tokenEndpoint(), edge);
        BrowserRoutes browser = new BrowserRoutes(s.browserFlow(), s.sessions(), s.clients(), cookie, edge, s.clock(), s.risk());
        HostedPages pages = new HostedPages(new PageCsrf(s.pageCsrfKey(), HttpOnlyCookie.csrf(s.config().cookieSecure()), s.random()),
                s.config().issuer());
        HttpOnlyCookie ssoCookie = HttpOnlyCookie.sso(s.config().cookieSecure());
        AuthorizeRoutes authorize = new AuthorizeRoutes(s.authorizeFlow(), s.sso(), ssoCookie, pages, edge, s.clock());
        AccountRoutes account = new AccountRoutes(s.accountPage(), authorize, ssoCookie, pages, edge, s.clock());
        LogoutRoutes logout = new LogoutRoutes(s.endSession(), authorize, ssoCookie, pages, edge);
        DiscoveryRoutes discovery = new DiscoveryRoutes(s.config().issuer(), s.keys(), s.tokenEndpoint().grantTypes(), s.config().signingAlg());
        RevocationRoutes revocation = new RevocationRoutes(s.revocation(), edge);
        IntrospectionRoutes introspection = new IntrospectionRoutes(s.introspection());
        MfaRoutes mfa = new MfaRoutes(s.totpFactors(), edge);
        // The OAuth endpoints a SPA calls itself: CORS for public clients' origins, no credentials (they take no cookie).
        Cors publicClients = Cors.withoutCredentials(s.clients());
        var r = config.routes;

        r.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
        });
        r.get("/.well-known/openid-configuration", discovery::metadata);
        r.get("/.well-known/oauth-authorization-server", discovery::metadata);
        r.get("/oauth2/jwks", discovery::jwks);
        r.post("/oauth2/token", token::token);
        r.get("/oauth2/authorize", authorize::authorize);
        r.post("/oauth2/authorize", authorize::authorize);
        r.post(HostedPages.LOGIN, authorize::signIn);
        r.post(HostedPages.CONSENT, authorize::consent);
        r.post(HostedPages.SECOND_FACTOR, authorize::secondFactor);
        r.get(HostedPages.LOGOUT, logout::logout);
        r.post(HostedPages.LOGOUT, logout::logout);
        r.get(HostedPages.ACCOUNT, account::show);
        r.post(HostedPages.ACCOUNT_LOGIN, account::signIn);
        r.post(HostedPages.ACCOUNT_SECOND_FACTOR, account::secondFactor);
        r.post(HostedPages.ACCOUNT_CONSENTS, account::withdraw);
        Handler userInfo = ctx -> {
            OAuthErrors.noStore(ctx);
            Json.send(ctx, 200, s.userInfo().claims(edge.bearer(ctx).token()));
        };
        r.get("/oauth2/userinfo", userInfo);
        r.post("/oauth2/userinfo", userInfo);
        r.post("/oauth2/revoke", revocation::revoke);
        r.post("/oauth2/introspect", introspection::introspect); // for back ends: no CORS
        publicClients.apply(r, "/oauth2/token", "POST");
        publicClients.apply(r, "/oauth2/revoke", "POST");
        // A SPA's OIDC library reads discovery and the JWKS with fetch() before anything else.
        publicClients.apply(r, "/.well-known/openid-configuration", "GET");
        publicClients.apply(r, "/.well-known/oauth-authorization-server", "GET");
        publicClients.apply(r, "/oauth2/jwks", "GET");
        publicClients.apply(r, "/oauth2/userinfo", "GET", "POST");

        r.before("/auth/*", browser::cors);
        // Preflight only where a route exists, so that unknown /auth paths stay 404.
        for (String path : List.of("/auth/login", "/auth/mfa", "/auth/refresh", "/auth/logout", "/auth/logout-all", "/auth/sessions", "/auth/sessions/{id}",
                MfaRoutes.ENROLL, MfaRoutes.CONFIRM, MfaRoutes.DISABLE)) {
            r.options(path, browser::preflight);
        }
        r.post("/auth/login", browser::login);
        r.post("/auth/mfa", browser::secondFactor);
        r.post("/auth/refresh", browser::refresh);
        r.post("/auth/logout", browser::logout);
        r.post("/auth/logout-all", browser::logoutAll);
        r.get("/auth/sessions", browser::list);
        r.delete("/auth/sessions/{id}", browser::revoke);
        r.post(MfaRoutes.ENROLL, mfa::enroll);
        r.post(MfaRoutes.CONFIRM, mfa::confirm);
        r.post(MfaRoutes.DISABLE, mfa::disable);

        r.before("/health/*", OAuthErrors::noStore);
        r.get("/health/live", ctx -> Json.send(ctx, 200, Map.of("status", "ok")));
        r.get("/health/ready", ctx -> {
            boolean db = s.databaseReady().getAsBoolean();
            boolean keys = s.keys().isLoaded();
            Json.send(ctx, db && keys ? 200 : 503, Map.of("status", db && keys ? "ok" : "unavailable", "database", db, "signing_key", keys));
        });

        r.exception(OAuthException.class, (e, ctx) -> OAuthErrors.render(ctx, e.error()));
        r.exception(HostedPages.Refused.class, (e, ctx) -> pages.error(ctx, e.error));
        r.exception(HttpFailure.Refusal.class, (e, ctx) -> OAuthErrors.render(ctx, e.failure.wire(e.description)));
        r.exception(StoreException.class, (e, ctx) -> {
            // The database failed (unreachable, full, read-only). Every change is one transaction, so nothing is
            // half-written; the client may retry: a refresh that was refused changed nothing, and one whose rotation
            // committed before the failure gets the same successor again (the retry window). No stack trace, no 500.
            LOG.warn("database failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            OAuthErrors.render(ctx, OAuthError.unavailable("the database is unavailable, retry shortly", e.getMessage()));
        });
        r.exception(HashingBusyException.class, (e, ctx) -> OAuthErrors.render(ctx,
                OAuthError.unavailable("too many sign-ins at once, retry shortly", e.getMessage())));
        r.exception(HttpResponseException.class, (e, ctx) -> {
            String allowed = e.getDetails().get("availableMethods");
            if (e.getStatus() == 405 && allowed != null) ctx.header("Allow", allowed.replaceAll("[\\[\\]]", "")); // RFC 9110 §15.5.6
            OAuthErrors.render(ctx, HttpFailure.forStatus(e.getStatus()));
        });
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            OAuthErrors.render(ctx, OAuthError.of(ErrorCode.SERVER_ERROR, "internal error"));
        });
        r.error(404, ctx -> notFound(ctx));
        r.error(405, ctx -> OAuthErrors.render(ctx, HttpFailure.METHOD_NOT_ALLOWED.wire("method not allowed")));
    }

    private static void notFound(Context ctx) {
        if (ctx.result() == null || ctx.result().isEmpty()) OAuthErrors.render(ctx, HttpFailure.NOT_FOUND.wire("not found"));
    }
}
