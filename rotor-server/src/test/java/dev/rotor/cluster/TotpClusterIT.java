package dev.rotor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.RequestInfo;
import dev.rotor.mfa.Totp;
import dev.rotor.signin.SecondFactors.Proof;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/** Two Rotor nodes on one PostgreSQL database: a TOTP code and a recovery code each pass once across both. */
class TotpClusterIT {
    private static final int RACERS = 10;

    private static HttpResponse<String> post(TestServer node, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri(path)).header("Authorization", "Bearer " + token);
        if (json == null) return node.send(b.POST(HttpRequest.BodyPublishers.noBody()));
        return node.send(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void midStep(TestClock clock) {
        long second = clock.instant().getEpochSecond() % 30;
        clock.advance(Duration.ofSeconds((15 - second + 30) % 30));
    }

    /** Runs each at once, released together, and returns their results in order. */
    private static <T> List<T> race(List<Callable<T>> racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        try {
            CyclicBarrier start = new CyclicBarrier(racers.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : racers) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return c.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void enrolledOnOneNodeConfirmedOnTheOtherAndEachCodePassesOnceAcrossBoth() throws Exception {
        TestClock clock = new TestClock();
        try (TestServer a = TestServer.startOnPostgres(Map.of(), clock); TestServer b = TestServer.node(a, Map.of(), clock)) {
            Map<String, Object> signedIn = a.passwordLogin("native");
            String token = (String) signedIn.get("access_token");
            String alice = a.rotor().users().findByUsername("alice").orElseThrow().id();
            HttpResponse<String> enrolled = post(a, "/auth/mfa/totp/enroll", token, null);
            assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(200);
            byte[] key = new Base32().decode((String) Jsons.parse(enrolled.body()).get("secret"));
            midStep(clock);
            HttpResponse<String> confirmed = post(b, "/auth/mfa/totp/confirm", token,
                    "{\"code\":\"" + Totp.USERS.code(key, Totp.USERS.step(clock.instant())) + "\"}");
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
            List<String> recovery = (List<String>) Jsons.parse(confirmed.body()).get("recovery_codes");

            // The sign-in port on both nodes, the same next-step code from ten threads.
            clock.advance(Duration.ofSeconds(30));
            String code = Totp.USERS.code(key, Totp.USERS.step(clock.instant()));
            List<Callable<Boolean>> otp = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                otp.add(() -> node.rotor().totpFactors().verify(alice, new Proof.Otp(code), RequestInfo.NONE));
            }
            assertThat(race(otp)).filteredOn(Boolean::booleanValue).hasSize(1);

            List<Callable<Boolean>> spend = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                spend.add(() -> node.rotor().totpFactors().verify(alice, new Proof.RecoveryCode(recovery.getFirst()), RequestInfo.NONE));
            }
            assertThat(race(spend)).filteredOn(Boolean::booleanValue).hasSize(1);
            assertThat(b.rotor().totpFactors().methods(alice)).containsExactly("totp", "recovery_code");

            // Over HTTP: one disable with the next code sent to both nodes at once removes TOTP once.
            clock.advance(Duration.ofSeconds(30));
            String next = "{\"code\":\"" + Totp.USERS.code(key, Totp.USERS.step(clock.instant())) + "\"}";
            List<HttpResponse<String>> answers = race(List.of(() -> post(a, "/auth/mfa/totp/disable", token, next),
                    () -> post(b, "/auth/mfa/totp/disable", token, next)));
            // One disables. The other either lost the race for the code (400 invalid_grant) or came after the first
            // had finished, when there was no TOTP left to disable (409 mfa_not_enabled): which depends on timing.
            assertThat(answers).extracting(HttpResponse::statusCode).containsOnlyOnce(204);
            assertThat(answers).filteredOn(r -> r.statusCode() != 204).singleElement().satisfies(r -> assertThat(Map.of(400, "invalid_grant",
                    409, "mfa_not_enabled")).containsEntry(r.statusCode(), (String) Jsons.parse(r.body()).get("error")));
            assertThat(a.rotor().totpFactors().methods(alice)).isEmpty();
        }
    }
}
