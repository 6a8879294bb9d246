package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.app.Rotor;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The whole server on PostgreSQL (ROTOR_DB = a fresh database), over real HTTP: sign-in, rotation, reuse, two nodes. */
class PostgresServerIT {
    private static final String TOKEN = "[A-Za-z0-9_-]{71}";

    private static HttpResponse<String> refresh(TestServer server, String token) {
        return server.token("grant_type=refresh_token&client_id=native&refresh_token=" + token);
    }

    @Test
    void signInThenRefreshOverHttpWithTheDataInPostgresql() {
        try (TestServer server = TestServer.startOnPostgres(Map.of(), Clock.systemUTC())) {
            assertThat(server.rotor().database().vendor()).isEqualTo(Database.Vendor.POSTGRESQL);
            String first = (String) server.passwordLogin("native").get("refresh_token");

            HttpResponse<String> r1 = refresh(server, first);
            assertThat(r1.statusCode()).isEqualTo(200);
            String second = (String) Jsons.parse(r1.body()).get("refresh_token");
            assertThat(second).matches(TOKEN).isNotEqualTo(first);

            HttpResponse<String> r2 = refresh(server, second);
            assertThat(r2.statusCode()).isEqualTo(200);
            assertThat((String) Jsons.parse(r2.body()).get("refresh_token")).matches(TOKEN).isNotEqualTo(second);
        }
    }

    @Test
    void replayAfterTheRetryWindowRevokesTheSession() {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.startOnPostgres(Map.of(), clock)) {
            String first = (String) server.passwordLogin("native").get("refresh_token");
            String second = (String) Jsons.parse(refresh(server, first).body()).get("refresh_token");
            assertThat(Jsons.parse(refresh(server, first).body()).get("refresh_token")).as("a retry within the window").isEqualTo(second);
            clock.advance(Duration.ofHours(1).plusSeconds(1));

            HttpResponse<String> replay = refresh(server, first);

            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(Jsons.parse(replay.body())).containsEntry("error", "invalid_grant");
            assertThat(refresh(server, second).statusCode()).as("the whole family is dead").isEqualTo(400);
            assertThat(server.rotor().audit().tail(50)).anySatisfy(e -> assertThat(e.type()).contains("reuse"));
        }
    }

    @Test
    void readinessAndKeysOnPostgresql() {
        try (TestServer server = TestServer.startOnPostgres(Map.of(), Clock.systemUTC())) {
            assertThat(server.send(HttpRequest.newBuilder(server.uri("/health/ready"))).statusCode()).isEqualTo(200);
            HttpResponse<String> jwks = server.send(HttpRequest.newBuilder(server.uri("/oauth2/jwks")));
            assertThat(jwks.statusCode()).isEqualTo(200);
            assertThat((List<?>) Jsons.parse(jwks.body()).get("keys")).hasSize(2);
        }
    }

    @Test
    void twoServersOnOneDatabaseShareUsersClientsKeysAndSessions() throws Exception {
        try (TestServer first = TestServer.startOnPostgres(Map.of(), Clock.systemUTC())) {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.PORT, "0");
            flags.put(Setting.DATA_DIR, first.dataDir().toString());
            flags.put(Setting.ISSUER, "http://localhost:8080");
            flags.put(Setting.DB, first.postgres().url());
            try (Rotor second = Rotor.open(RotorConfig.load(flags, Map.of(), null), Clock.systemUTC(), TestServer.MASTER_KEY)) {
                int port = second.start();
                String token = (String) first.passwordLogin("native").get("refresh_token");

                HttpResponse<String> there = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=native&refresh_token=" + token)).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(there.statusCode()).isEqualTo(200);
                assertThat(second.keys().jwksJson()).isEqualTo(first.rotor().keys().jwksJson());
                String next = (String) Jsons.parse(there.body()).get("refresh_token");
                assertThat(refresh(first, next).statusCode()).as("and back on the first node").isEqualTo(200);
            }
        }
    }

    /** One token, 100 refreshes at once on a pool of connections: one rotation, and every answer the same successor. */
    @Test
    void concurrentRefreshesOfOneTokenRotateItOnce() throws Exception {
        try (TestServer server = TestServer.startOnPostgres(Map.of(), Clock.systemUTC())) {
            String token = (String) server.passwordLogin("native").get("refresh_token");
            int racers = 100;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < racers; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return refresh(server, token);
                    }));
                }
                go.countDown();
            }
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) responses.add(f.get());

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(responses.stream().map(r -> Jsons.parse(r.body()).get("refresh_token")).distinct()).hasSize(1);
        }
    }
}
