package dev.rotor.http;

import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.OAuthException;
import dev.rotor.selfservice.AccountPage;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * {@code GET /account}, its sign-in form ({@code POST /account/login}) and its "Remove access" buttons
 * ({@code POST /account/consents}): parses, asks {@link AccountPage}, renders the page, an error page or the 303 back to
 * it. Every POST is checked by {@link HostedPages#checkedForm} (Origin and CSRF token) before it is read, and every
 * refusal is a page, since a person sees it.
 */
final class AccountRoutes {
    /** The query parameter of the 303 after a withdrawal: the client whose access was removed, for the confirmation. */
    static final String REMOVED = "removed";
    private static final String SIGN_IN_TITLE = "Sign-in cannot continue";
    private static final String REMOVE_TITLE = "Access was not changed";

    private final AccountPage account;
    private final AuthorizeRoutes authorize;
    private final HttpOnlyCookie ssoCookie;
    private final HostedPages pages;
    private final Edge edge;
    private final Clock clock;

    AccountRoutes(AccountPage account, AuthorizeRoutes authorize, HttpOnlyCookie ssoCookie, HostedPages pages, Edge edge, Clock clock) {
        this.account = account;
        this.authorize = authorize;
        this.ssoCookie = ssoCookie;
        this.pages = pages;
        this.edge = edge;
        this.clock = clock;
    }

    void show(Context ctx) {
        try {
            pages.account(ctx, account.show(authorize.session(ctx), ctx.queryParam(REMOVED)));
        } catch (OAuthException e) {
            pages.accountError(ctx, "Your account page cannot be shown", e.error());
        }
    }

    void signIn(Context ctx) {
        signedIn(ctx, form -> account.signIn(form.get("username"), form.get("password"), authorize.session(ctx), edge.signInRequest(ctx)));
    }

    /** The second-factor form of the page's sign-in: {@code code} or {@code recovery_code}, with the {@code mfa_token}. */
    void secondFactor(Context ctx) {
        signedIn(ctx, form -> account.secondFactor(form.get("mfa_token"), AuthorizeRoutes.proof(form), authorize.session(ctx), edge.signInRequest(ctx)));
    }

    /** A sign-in form posted (its CSRF token and origin checked first): the next view, or the account page once signed in. */
    private void signedIn(Context ctx, java.util.function.Function<Map<String, String>, AccountPage.SignedIn> step) {
        try {
            AccountPage.SignedIn result = step.apply(pages.checkedForm(ctx));
            if (result.started() == null) {
                if (result.view() instanceof AccountPage.SecondFactorForm) edge.keepDevice(ctx);
                pages.account(ctx, result.view());
                return;
            }
            edge.keepDevice(ctx);
            ssoCookie.set(ctx, result.started().cookieSecret(), result.started().session().expiresAt(), clock.instant());
            seeAccount(ctx, HostedPages.ACCOUNT);
        } catch (HostedPages.Refused e) {
            pages.accountError(ctx, SIGN_IN_TITLE, e.error);
        } catch (OAuthException e) {
            pages.accountError(ctx, SIGN_IN_TITLE, e.error());
        }
    }

    void withdraw(Context ctx) {
        try {
            Map<String, String> form = pages.checkedForm(ctx);
            switch (account.withdraw(authorize.session(ctx), form.get(HostedPages.CLIENT_ID), edge.requestInfo(ctx))) {
                case AccountPage.Withdrawn w -> seeAccount(ctx, HostedPages.ACCOUNT + "?" + REMOVED + "=" + URLEncoder.encode(w.clientId(), StandardCharsets.UTF_8));
                case AccountPage.NotSignedIn n -> pages.accountError(ctx, REMOVE_TITLE, new OAuthError(ErrorCode.ACCESS_DENIED,
                        "You are not signed in. Sign in on your account page, then remove the app's access there.", "no single sign-on session"));
                // One answer for a client id that is unknown, another user's, or already withdrawn: the page tells nobody
                // which consents exist beyond the user's own.
                case AccountPage.NothingToWithdraw n -> pages.accountError(ctx, REMOVE_TITLE, new OAuthError(ErrorCode.INVALID_REQUEST,
                        "That app has no access to your account, so there was nothing to remove.", "no consent of the user for " + n.clientId()));
            }
        } catch (HostedPages.Refused e) {
            pages.accountError(ctx, REMOVE_TITLE, e.error);
        } catch (OAuthException e) {
            pages.accountError(ctx, REMOVE_TITLE, e.error());
        }
    }

    /** Post/Redirect/Get: the browser shows the page by a fresh GET, so a reload does not post the form again. */
    private static void seeAccount(Context ctx, String location) {
        OAuthErrors.noStore(ctx);
        ctx.status(303).header("Location", location);
    }
}
