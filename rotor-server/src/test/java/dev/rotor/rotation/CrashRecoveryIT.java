package dev.rotor.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.app.Rotor;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation acknowledged to a client survives {@code kill -9}. Rotation chains run against a real
 * server process, the process is killed mid-flight, restarted, and every token a client received in a 200 must
 * be in the database and the newest of each chain must still work (unless the server committed a rotation whose
 * answer the kill swallowed, which the database then shows).
 */
class CrashRecoveryIT {
    private static final int CHAINS = 8;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void acknowledgedRotationsSurviveKillNine() throws Exception {
        seed();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        int port = freePort();
        Process server = startServer(port);
        List<List<String>> chains = new ArrayList<>();
        try {
            waitReady(http, port);
            for (int i = 0; i < CHAINS; i++) {
                chains.add(new ArrayList<>(List.of(signIn(http, port))));
            }
            for (int round = 0; round < KILLS; round++) {
                runChainsThenKill(http, port, chains, server);
                // The last restart comes 12 s later, as an unlucky operator's would: longer than a short grace window,
                // well inside the retry window.
                if (round == KILLS - 1) Thread.sleep(12_000);
                server = startServer(port);
                waitReady(http, port);
                assertChainsDurable(http, port, chains);
            }
        } finally {
            server.destroyForcibly().waitFor();
        }
        try (Rotor rotor = Rotor.open(config(0), Clock.systemUTC(), TestServer.MASTER_KEY)) {
            assertThat(((dev.rotor.store.SqliteDatabase) rotor.database()).integrityCheck()).isEqualTo("ok");
            assertThat(rotor.audit().tail(100_000)).as("no retry after a crash is taken for theft")
                    .noneMatch(e -> e.type().equals("refresh_token.reuse_detected"));
        }
    }

    private void runChainsThenKill(HttpClient http, int port, List<List<String>> chains, Process server) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (List<String> chain : chains) {
                futures.add(pool.submit(() -> {
                    int done = 0;
                    while (!killed.get()) {
                        String latest = chain.get(chain.size() - 1);
                        try {
                            HttpResponse<String> r = http.send(refresh(port, latest), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) throw new AssertionError("chain broke before the kill: " + r.statusCode() + " " + r.body());
                            chain.add((String) Jsons.parse(r.body()).get("refresh_token"));
                            done++;
                        } catch (IOException e) {
                            if (!killed.get()) throw e; // only the kill may interrupt a request
                        }
                    }
                    return done;
                }));
            }
            Thread.sleep(1500);
            killed.set(true);
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            server.waitFor();
            int total = 0;
            for (Future<Integer> f : futures) total += f.get();
            assertThat(total).as("rotations before the kill").isGreaterThan(CHAINS);
        }
    }

    private void assertChainsDurable(HttpClient http, int port, List<List<String>> chains) throws Exception {
        try (Rotor rotor = Rotor.open(config(0), Clock.systemUTC(), TestServer.MASTER_KEY)) {
            for (List<String> chain : chains) {
                String latest = chain.getLast();
                RefreshTokenFamily f = rotor.sessions().findByToken(latest).orElseThrow();
                for (String token : chain) {
                    assertThat(rotor.sessions().findByToken(token)).as("a token a client received in a 200").get()
                            .extracting(RefreshTokenFamily::id).isEqualTo(f.id());
                }
                int received = chain.size() - 1;
                // The family is at the newest generation a client received, or one past it when the kill swallowed
                // the answer to a committed rotation.
                assertThat(f.generation()).isBetween(received, received + 1);
                assertThat(f.isRevoked()).isFalse();
            }
        }
        for (List<String> chain : chains) {
            HttpResponse<String> r = http.send(refresh(port, chain.getLast()), HttpResponse.BodyHandlers.ofString());
            // A token whose answer was lost is a retry: the same successor comes back. 200 either way.
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            chain.add((String) Jsons.parse(r.body()).get("refresh_token"));
        }
    }

    private void seed() {
        try (Rotor rotor = Rotor.open(config(0), Clock.systemUTC(), TestServer.MASTER_KEY)) {
            rotor.accounts().register("alice", null, null, TestServer.PASSWORD);
            rotor.clientStore().add(new dev.rotor.oauth.Client("native", dev.rotor.oauth.Client.Type.PUBLIC, null, List.of(),
                    java.util.Set.of("password", "refresh_token"), java.util.Set.of(), true, "openid", java.time.Instant.now(), java.util.Set.of()));
        }
    }

    private RotorConfig config(int port) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        flags.put(Setting.PORT, Integer.toString(port));
        flags.put(Setting.DATA_DIR, dir.toString());
        return RotorConfig.load(flags, Map.of(), null);
    }

    private Process startServer(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.rotor.app.Main", "serve");
        pb.environment().put("ROTOR_DATA_DIR", dir.toString());
        pb.environment().put("ROTOR_PORT", Integer.toString(port));
        pb.environment().put("ROTOR_MASTER_KEY", TestServer.MASTER_KEY);
        // A long grace window: a token whose answer the kill swallowed is replayed, not taken for reuse, however slow the restart.
        pb.environment().put("ROTOR_GRACE", "60s");
        pb.redirectErrorStream(true).redirectOutput(Files.createTempFile(dir, "server", ".log").toFile());
        return pb.start();
    }

    private static void waitReady(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not become ready");
    }

    private static String signIn(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=native&username=alice&password="
                        + TestServer.PASSWORD.replace(' ', '+'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Jsons.parse(r.body()).get("refresh_token");
    }

    private static HttpRequest refresh(int port, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&client_id=native&refresh_token=" + token)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
