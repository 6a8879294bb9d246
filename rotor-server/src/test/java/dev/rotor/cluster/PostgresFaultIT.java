package dev.rotor.cluster;

import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Setting;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.store.PostgresFixture;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TcpProxy;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL taken away from a running server and given back, through a TCP proxy the test controls: clear 503s
 * with Retry-After, no hang, readiness down, no half-written rotation, and full recovery without a restart.
 */
class PostgresFaultIT {

    private static HttpResponse<String> refresh(TestServer server, String token) {
        return server.send(HttpRequest.newBuilder(server.uri("/oauth2/token")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=native&refresh_token=" + token)));
    }

    private static int ready(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/health/ready")).timeout(Duration.ofSeconds(60))).statusCode();
    }

    private static void awaitReady(TestServer server, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ready(server) != status && System.nanoTime() < deadline) Thread.sleep(200);
        assertThat(ready(server)).isEqualTo(status);
    }

    @Test
    void databaseDownAndBackAgainWithoutARestart() throws Exception {
        try (PostgresFixture pg = PostgresFixture.create(); TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             TestServer server = TestServer.start(Map.of(Setting.DB, "postgresql://postgres@127.0.0.1:" + proxy.port() + "/" + pg.name()),
                     Clock.systemUTC())) {
            String token = (String) server.passwordLogin("native").get("refresh_token");
            String current = (String) Jsons.parse(refresh(server, token).body()).get("refresh_token");
            RefreshTokenFamily before = server.rotor().sessions().findByToken(current).orElseThrow();

            proxy.refuse();

            HttpResponse<String> refused = refresh(server, current);
            assertOAuthError(refused, 503, "temporarily_unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).doesNotContain(current).doesNotContain("PSQL").doesNotContain("Exception").doesNotContain("5432");
            assertThat(ready(server)).isEqualTo(503);
            assertThat(server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks"))).statusCode()).as("keys are in memory").isEqualTo(200);

            proxy.restore();
            awaitReady(server, 200);

            assertThat(server.rotor().sessions().find(before.id())).as("nothing half-written").contains(before);
            HttpResponse<String> retried = refresh(server, current);
            assertThat(retried.statusCode()).as("the refused refresh consumed nothing: %s", retried.body()).isEqualTo(200);
            assertThat(server.rotor().sessions().find(before.id()).orElseThrow().generation()).isEqualTo(before.generation() + 1);
        }
    }

    /**
     * The database goes away and comes back while eight clients rotate in a loop: every client either got a 200
     * whose token works, or an error after which its previous token still works (a rotation committed whose answer
     * was lost comes back as a retry with the same successor). Nobody is signed out and no reuse is alleged.
     */
    @Test
    void chainsRotatingWhileTheDatabaseGoesAwayAndComesBackAllKeepWorking() throws Exception {
        try (PostgresFixture pg = PostgresFixture.create(); TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             TestServer server = TestServer.start(Map.of(Setting.DB, "postgresql://postgres@127.0.0.1:" + proxy.port() + "/" + pg.name()),
                     Clock.systemUTC())) {
            List<String> latest = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 8; i++) latest.add((String) server.passwordLogin("native").get("refresh_token"));
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
            java.util.concurrent.atomic.AtomicInteger rotations = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int chain = i;
                clients.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r = refresh(server, latest.get(chain));
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 200) {
                            latest.set(chain, (String) Jsons.parse(r.body()).get("refresh_token"));
                            rotations.incrementAndGet();
                        }
                    }
                }));
            }
            Thread.sleep(1500);
            proxy.refuse();
            Thread.sleep(1500);
            proxy.restore();
            awaitReady(server, 200);
            Thread.sleep(1000);
            stop.set(true);
            for (Thread t : clients) t.join();

            assertThat(statuses).as("only successes and clean refusals").isSubsetOf(200, 503).contains(200, 503);
            assertThat(rotations.get()).isGreaterThan(16);
            for (String token : latest) {
                HttpResponse<String> r = refresh(server, token);
                assertThat(r.statusCode()).as("every client's latest token works: %s", r.body()).isEqualTo(200);
            }
            assertThat(server.rotor().audit().tail(100_000)).noneMatch(e -> e.type().equals("refresh_token.reuse_detected"));
        }
    }

    @Test
    void databaseThatStopsAnsweringGivesA503WithinTheSocketTimeoutNotAHang() throws Exception {
        try (PostgresFixture pg = PostgresFixture.create(); TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
             TestServer server = TestServer.start(Map.of(Setting.DB, "postgresql://postgres@127.0.0.1:" + proxy.port() + "/" + pg.name()),
                     Clock.systemUTC())) {
            String token = (String) server.passwordLogin("native").get("refresh_token");

            proxy.blackhole();
            HttpResponse<String> refused = refresh(server, token);

            assertOAuthError(refused, 503, "temporarily_unavailable");
            proxy.restore();
            awaitReady(server, 200);
            assertThat(refresh(server, token).statusCode()).as("and the token still works").isEqualTo(200);
        }
    }
}
