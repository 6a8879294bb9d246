package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.testing.Jsons;
import dev.rotor.testing.SetCookie;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The logout confirmation page as the RP-initiated logout route will use it, on a server on loopback that has just
 * that page and a {@code POST /oauth2/logout} reading its form through {@link HostedPages#checkedForm}: what it shows,
 * what it posts, and that the post needs the page's CSRF token.
 */
class LogoutConfirmPageIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Javalin app;

    @BeforeAll
    static void start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        HostedPages pages = new HostedPages(new PageCsrf(key, HttpOnlyCookie.csrf(false), new SecureRandom()), "http://localhost:8080");
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/confirm", ctx -> {
                Map<String, String> hidden = new LinkedHashMap<>();
                hidden.put("state", "st-1");
                hidden.put("id_token_hint", "\"><b>hint</b>");
                String client = ctx.queryParam("client");
                String redirect = ctx.queryParam("redirect");
                if (redirect == null) pages.logoutConfirm(ctx, client, hidden);
                else pages.logoutConfirm(ctx, client, hidden, redirect);
            });
            config.routes.post(HostedPages.LOGOUT, ctx -> Json.send(ctx, 200, pages.checkedForm(ctx)));
            config.routes.exception(HostedPages.Refused.class, (e, ctx) -> pages.error(ctx, "Sign-out cannot continue", e.error));
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.stop();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private static HttpResponse<String> post(String cookie, String form) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(HostedPages.LOGOUT)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) b.header("Cookie", cookie);
        return send(b);
    }

    private static String value(String body, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(body);
        assertThat(m.find()).as(name + " on " + body).isTrue();
        return m.group(1);
    }

    @Test
    void pageNamesTheClientPostsTheHiddenFieldsAndAsksToSignOutOfTheAppsByDefault() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/confirm?client=" + URLEncoder.encode("shop <app>", StandardCharsets.UTF_8))));
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains("<strong>shop &lt;app&gt;</strong> asks to sign you out.", "<form method=\"post\" action=\"/oauth2/logout\">",
                "<input type=\"hidden\" name=\"state\" value=\"st-1\">",
                "<input type=\"hidden\" name=\"id_token_hint\" value=\"&#34;>&lt;b>hint&lt;/b>\">",
                "<input id=\"apps\" type=\"checkbox\" name=\"sign_out_apps\" value=\"yes\" checked>",
                "Also sign out of the apps you signed in to with this session", "<label class=\"check\" for=\"apps\">");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self';", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(SetCookie.only(page).name()).isEqualTo("rotor_csrf");
    }

    @Test
    void pageWithoutAClientSaysWhatSigningOutMeans() throws Exception {
        String body = send(HttpRequest.newBuilder(uri("/confirm"))).body();
        assertThat(body).contains("Sign out of Rotor?", "You will need your password to sign in again.").doesNotContain("asks to sign you out");
    }

    @Test
    void pageWhoseAnswerRedirectsToTheClientAllowsThatOriginInFormAction() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/confirm?redirect=" + URLEncoder.encode("https://shop.example.test/bye?x=1",
                StandardCharsets.UTF_8))));
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self' https://shop.example.test;");
    }

    @Test
    void postWithThePagesTokenIsReadAndWithoutItOrFromAnotherBrowserIsRefused() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/confirm")));
        String cookie = SetCookie.only(page).asCookieHeader();
        String form = "state=st-1&csrf_token=" + value(page.body(), "csrf_token") + "&sign_out_apps=yes";

        HttpResponse<String> ok = post(cookie, form);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Jsons.parse(ok.body())).containsEntry("state", "st-1").containsEntry("sign_out_apps", "yes");

        HttpResponse<String> noToken = post(cookie, "state=st-1&sign_out_apps=yes");
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("<h1>Sign-out cannot continue</h1>", "role=\"alert\"");

        String otherBrowser = SetCookie.only(send(HttpRequest.newBuilder(uri("/confirm")))).asCookieHeader();
        assertThat(post(otherBrowser, form).statusCode()).isEqualTo(403);
        assertThat(post(null, form).statusCode()).isEqualTo(403);
    }
}
