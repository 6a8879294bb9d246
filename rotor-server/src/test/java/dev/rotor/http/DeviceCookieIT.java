package dev.rotor.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.risk.source.DeviceIds;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device cookie helper on a real server: what it reads, and the Set-Cookie it writes. */
class DeviceCookieIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static Javalin app;

    @BeforeAll
    static void start() {
        DeviceCookie device = new DeviceCookie(true, new SecureRandom());
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/presented", ctx -> ctx.result(device.presentedHash(ctx).orElse("none")));
            config.routes.post("/remember", ctx -> {
                DeviceCookie.Device d = device.identify(ctx);
                device.keep(ctx, d, NOW);
                ctx.result(d.hash());
            });
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (app != null) app.stop();
    }

    private static HttpResponse<String> send(String method, String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) b.header("Cookie", cookie);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBrowserWithoutTheCookieGetsOneAndPresentsItsHashNextTime() throws Exception {
        HttpResponse<String> first = send("POST", "/remember", null);
        List<String> setCookie = first.headers().allValues("Set-Cookie");
        assertThat(setCookie).hasSize(1);
        String header = setCookie.getFirst();
        assertThat(header).startsWith("__Host-rotor_device=").endsWith("; Max-Age=34560000; Path=/; HttpOnly; Secure; SameSite=Lax");
        String value = header.substring("__Host-rotor_device=".length(), header.indexOf(';'));
        assertThat(first.body()).as("the hash, not the value").isEqualTo(DeviceIds.browserHash(value).orElseThrow()).doesNotContain(value);

        assertThat(send("GET", "/presented", "__Host-rotor_device=" + value).body()).isEqualTo(first.body());
        HttpResponse<String> again = send("POST", "/remember", "__Host-rotor_device=" + value);
        assertThat(again.body()).as("kept, not replaced").isEqualTo(first.body());
        assertThat(again.headers().firstValue("Set-Cookie")).hasValueSatisfying(h -> assertThat(h).startsWith("__Host-rotor_device=" + value + ";"));
    }

    @Test
    void aMissingMalformedOrPlantedSecondCookieIsANewDevice() throws Exception {
        String good = DeviceIds.issue(new SecureRandom()).cookieValue();
        assertThat(send("GET", "/presented", null).body()).isEqualTo("none");
        assertThat(send("GET", "/presented", "__Host-rotor_device=forged").body()).isEqualTo("none");
        assertThat(send("GET", "/presented", "__Host-rotor_device=" + good + "; __Host-rotor_device=" + good).body()).isEqualTo("none");

        HttpResponse<String> replaced = send("POST", "/remember", "__Host-rotor_device=forged");
        assertThat(replaced.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("forged");
    }
}
