package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.authorize.Pkce;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser (Debian's headless Chromium, driven by Selenium) through the hosted pages: it signs in for one app
 * whose redirect URI is a small server on loopback that records the code, comes back for a second app through single
 * sign-on without seeing the sign-in page, and allows a third-party app on the consent page. Chromium enforces what
 * the HTTP tests can only read: the CSP hashes, form-action on the redirect after a form, the SameSite CSRF cookie.
 * Screenshots of each page go to {@code target/screenshots/}. Without {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} the test fails: {@code apt-get install chromium chromium-driver}.
 */
class BrowserSignInIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final Dimension DESKTOP = new Dimension(1280, 860);
    private static final Dimension PHONE = new Dimension(390, 844);

    private static final TestClock CLOCK = new TestClock();
    private static TestServer server;
    private static HttpServer app;
    private static String callback;
    private static final LinkedBlockingQueue<Arrival> CALLBACKS = new LinkedBlockingQueue<>();
    private static Path profile;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        assertThat(CHROMIUM).as("Chromium, for the browser test: apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver, for the browser test: apt-get install chromium chromium-driver").isExecutable();

        // The browser posts the pages' forms with the issuer's origin, so the issuer is where the server really listens:
        // localhost, while the apps are at 127.0.0.1, another site.
        server = TestServer.startAtItsIssuer("localhost", Map.of(Setting.COOKIE_SECURE, "false"), CLOCK);

        // The apps' redirect URI: records each authorization response and answers with a plain page.
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/callback", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CALLBACKS.add(new Arrival(exchange.getRequestMethod(), decode(exchange.getRequestURI().getRawQuery()), decode(form)));
            byte[] body = "<!doctype html><title>App</title><p>Back in the app.</p>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        callback = "http://127.0.0.1:" + app.getAddress().getPort() + "/callback";
        client("notes", true);
        client("calendar", true);
        client("partner", false);

        profile = Files.createTempDirectory("rotor-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) browser.quit();
        if (app != null) app.stop(0);
        if (server != null) server.close();
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void client(String id, boolean firstParty) {
        server.rotor().clientStore().add(new Client(id, Client.Type.PUBLIC, null, List.of(callback),
                new LinkedHashSet<>(Set.of("authorization_code", "refresh_token")), Set.of(), firstParty, "openid profile email offline_access",
                Instant.now(), Set.of()));
    }

    private static String authorizeUrl(String clientId, String state) {
        return "http://localhost:" + server.port() + "/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + enc(callback) + "&scope=" + enc("openid profile email") + "&state=" + state + "&nonce=n-" + state
                + "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256";
    }

    /** One request to the app's redirect URI: the authorization response in its query (GET) or its form (form_post). */
    record Arrival(String method, Map<String, String> query, Map<String, String> form) {}

    /** The authorization response the app received next, by redirect. */
    private static Map<String, String> nextCallback() throws InterruptedException {
        Arrival a = nextArrival();
        assertThat(a.method()).isEqualTo("GET");
        return a.query();
    }

    private static Arrival nextArrival() throws InterruptedException {
        Arrival a = CALLBACKS.poll(30, TimeUnit.SECONDS);
        assertThat(a).as("the app received the authorization response").isNotNull();
        return a;
    }

    /** Each test starts as a browser that has never been here. */
    @BeforeEach
    void freshBrowser() {
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        CALLBACKS.clear();
        cspViolations();
    }

    private static Map<String, Object> redeem(String clientId, Map<String, String> response) {
        HttpResponse<String> r = server.token("grant_type=authorization_code&client_id=" + clientId + "&code=" + enc(response.get("code"))
                + "&redirect_uri=" + enc(callback) + "&code_verifier=" + VERIFIER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Jsons.parse(r.body());
    }

    private static WebElement waitFor(By what) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static void screenshot(String name) throws IOException {
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void colorScheme(String scheme) {
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** What the page's console said about the Content-Security-Policy: a wrong style or script hash shows here. */
    private static List<String> cspViolations() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy")).toList();
    }

    @Test
    void signInThenSingleSignOnThenConsentInARealBrowser() throws Exception {
        // 1. The sign-in page, on a desktop and on a phone, light and dark.
        browser.manage().window().setSize(DESKTOP);
        browser.get(authorizeUrl("notes", "one"));
        waitFor(By.id("username"));
        assertThat(browser.getTitle()).isEqualTo("Sign in · Rotor");
        assertThat(browser.findElement(By.cssSelector(".lead")).getText()).isEqualTo("to continue to notes");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("the username field has the focus").isEqualTo("username");
        assertThat(browser.findElement(By.cssSelector("button.primary")).getCssValue("background-color"))
                .as("the stylesheet applied (its CSP hash matched)").isNotEqualTo("rgba(0, 0, 0, 0)").isNotEqualTo("rgb(239, 239, 239)");
        screenshot("signin-desktop");
        colorScheme("dark");
        screenshot("signin-desktop-dark");
        colorScheme("light");
        browser.manage().window().setSize(PHONE);
        screenshot("signin-phone");
        browser.manage().window().setSize(DESKTOP);

        // 2. A wrong password, by keyboard only: the page comes back with one message, the name kept, the password focused.
        browser.switchTo().activeElement().sendKeys("alice", Keys.TAB, "not the password", Keys.ENTER);
        WebElement alert = waitFor(By.cssSelector("[role=alert]"));
        assertThat(alert.getText()).isEqualTo("Wrong username or password.");
        assertThat(browser.findElement(By.id("username")).getAttribute("value")).isEqualTo("alice");
        assertThat(browser.findElement(By.id("password")).getAttribute("aria-describedby")).isEqualTo("problem");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("password");
        screenshot("signin-wrong-password");

        // 3. The right password: the browser lands on the app with a code that redeems for tokens.
        browser.switchTo().activeElement().sendKeys(TestServer.PASSWORD, Keys.ENTER);
        Map<String, String> first = nextCallback();
        assertThat(first).containsEntry("state", "one").containsEntry("iss", "http://localhost:" + server.port()).containsKey("code");
        assertThat(browser.getCurrentUrl()).startsWith(callback);
        assertThat(redeem("notes", first)).containsKeys("access_token", "id_token");

        // 4. A second app: single sign-on, straight back to the app without a page.
        browser.get(authorizeUrl("calendar", "two"));
        Map<String, String> second = nextCallback();
        assertThat(second).containsEntry("state", "two").containsKey("code");
        assertThat(browser.getCurrentUrl()).startsWith(callback);
        assertThat(browser.getPageSource()).doesNotContain("Sign in");
        assertThat(redeem("calendar", second)).containsKey("access_token");

        // 5. A third-party app: the consent page, then Allow.
        browser.get(authorizeUrl("partner", "three"));
        WebElement allow = waitFor(By.cssSelector("button[value=allow]"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("partner wants to use your Rotor account");
        assertThat(browser.findElements(By.cssSelector(".scopes li")).stream().map(WebElement::getText).toList())
                .containsExactly("Know who you are on Rotor", "See your name and username", "See your email address");
        screenshot("consent");
        browser.manage().window().setSize(PHONE);
        screenshot("consent-phone");
        browser.manage().window().setSize(DESKTOP);
        allow.click();
        Map<String, String> third = nextCallback();
        assertThat(third).containsEntry("state", "three").containsKey("code");
        assertThat(redeem("partner", third)).containsKey("access_token");

        // 6. An unknown client: the error page, and nothing reaches the app.
        browser.get(authorizeUrl("nobody", "four"));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Sign-in cannot continue");
        assertThat(browser.findElement(By.cssSelector(".fine")).getText()).contains("Details: unknown client");
        screenshot("error");
        assertThat(CALLBACKS).isEmpty();

        // 7. A sign-in page left open past its 15 minutes: the expired page, and again nothing reaches the app.
        browser.get(authorizeUrl("notes", "five") + "&prompt=login");
        WebElement username = waitFor(By.id("username"));
        CLOCK.advance(Duration.ofMinutes(16));
        username.sendKeys("alice", Keys.TAB, TestServer.PASSWORD, Keys.ENTER);
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("This page has expired");
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).isEqualTo("A sign-in page works for 15 minutes, and only in the browser that opened it.");
        screenshot("expired");
        assertThat(CALLBACKS).isEmpty();

        assertThat(cspViolations()).as("no page broke its own Content-Security-Policy").isEmpty();
    }

    @Test
    void accountPageSignsInListsTheAppsAndRemovesOneInARealBrowser() throws Exception {
        String account = "http://localhost:" + server.port() + "/account";
        // 1. No session: the page's own sign-in form, with the one message for a wrong password.
        browser.manage().window().setSize(DESKTOP);
        browser.get(account);
        waitFor(By.id("username")).sendKeys("alice", Keys.TAB, "not the password", Keys.ENTER);
        assertThat(waitFor(By.cssSelector("[role=alert]")).getText()).isEqualTo("Wrong username or password.");
        screenshot("account-signin-wrong-password");
        browser.switchTo().activeElement().sendKeys(TestServer.PASSWORD, Keys.ENTER);
        assertThat(waitFor(By.cssSelector(".lead")).getText()).isEqualTo("Signed in as alice");
        assertThat(browser.getCurrentUrl()).isEqualTo(account);
        assertThat(browser.findElement(By.cssSelector(".empty")).getText()).isEqualTo("You have not allowed any app to use your Rotor account.");
        screenshot("account-empty");

        // 2. A third-party app allowed on the consent page (single sign-on: no password), which names who is signed in.
        browser.get(authorizeUrl("partner", "acc"));
        WebElement allow = waitFor(By.cssSelector("button[value=allow]"));
        assertThat(browser.findElement(By.cssSelector(".who")).getText()).isEqualTo("Signed in as alice. Not you?");
        allow.click();
        assertThat(nextCallback()).containsEntry("state", "acc").containsKey("code");

        // 3. The account page lists it, on a desktop and a phone, light and dark.
        browser.get(account);
        WebElement remove = waitFor(By.cssSelector("button[aria-label='Remove access for partner']"));
        assertThat(browser.findElements(By.cssSelector(".app h2")).stream().map(WebElement::getText).toList()).containsExactly("partner");
        assertThat(browser.findElements(By.cssSelector(".app .scopes li")).stream().map(WebElement::getText).toList())
                .containsExactly("Know who you are on Rotor", "See your name and username", "See your email address");
        screenshot("account");
        colorScheme("dark");
        screenshot("account-dark");
        colorScheme("light");
        browser.manage().window().setSize(PHONE);
        screenshot("account-phone");
        browser.manage().window().setSize(DESKTOP);

        // 4. Remove access: back on the page (a GET after the 303) with the confirmation, and the app must ask again.
        remove.click();
        assertThat(waitFor(By.cssSelector("[role=status]")).getText()).isEqualTo("partner no longer has access to your account.");
        assertThat(browser.getCurrentUrl()).isEqualTo(account + "?removed=partner");
        assertThat(browser.findElements(By.cssSelector(".app"))).isEmpty();
        screenshot("account-removed");
        browser.manage().window().setSize(PHONE);
        screenshot("account-removed-phone");
        browser.manage().window().setSize(DESKTOP);
        browser.get(authorizeUrl("partner", "again"));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("partner wants to use your Rotor account");
        assertThat(CALLBACKS).isEmpty();

        assertThat(cspViolations()).as("no page broke its own Content-Security-Policy").isEmpty();
    }

    @Test
    void formPostAnswerIsPostedToTheAppByThePageScript() throws Exception {
        browser.get(authorizeUrl("notes", "fp") + "&response_mode=form_post");
        waitFor(By.id("username")).sendKeys("alice", Keys.TAB, TestServer.PASSWORD, Keys.ENTER);
        Arrival posted = nextArrival();
        assertThat(posted.method()).isEqualTo("POST");
        assertThat(posted.query()).as("nothing in the URL").isEmpty();
        assertThat(posted.form()).containsEntry("state", "fp").containsKey("code");
        assertThat(redeem("notes", posted.form())).containsKey("access_token");
        assertThat(cspViolations()).as("the auto-submit script ran under its hash").isEmpty();
    }

    private static Map<String, String> decode(String urlencoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (urlencoded == null || urlencoded.isEmpty()) return out;
        for (String p : urlencoded.split("&")) {
            String[] kv = p.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
