package dev.rotor.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.app.Rotor;
import dev.rotor.config.RotorConfig;
import dev.rotor.config.Setting;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.RefreshRace;
import dev.rotor.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Of any number of concurrent requests carrying one refresh token, exactly one rotates it; the
 * others get the same successor inside the grace window, or kill the family without one. Proved by racing.
 */
class RotationRaceIT {
    private static final int RACERS = 100;

    @Test
    void hundredConcurrentRefreshesWithGraceProduceExactlyOneSuccessor() throws Exception {
        try (TestServer server = TestServer.start()) {
            String token = (String) server.passwordLogin("native").get("refresh_token");
            List<HttpResponse<String>> responses = race(List.of(server), token);

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            Map<Object, Long> successors = responses.stream()
                    .collect(Collectors.groupingBy(r -> Jsons.parse(r.body()).get("refresh_token"), Collectors.counting()));
            assertThat(successors).hasSize(1);
            assertThat(familyRows(server.rotor(), token)).isEqualTo(new FamilyRows(1, 1, false));
            // The one successor is current and keeps working.
            String successor = (String) successors.keySet().iterator().next();
            assertThat(server.token("grant_type=refresh_token&client_id=native&refresh_token=" + successor).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void hundredConcurrentRefreshesWithoutGraceLetExactlyOneSucceed() throws Exception {
        try (TestServer server = TestServer.start(Map.of(Setting.GRACE, "0"))) {
            String token = (String) server.passwordLogin("native").get("refresh_token");
            List<HttpResponse<String>> responses = race(List.of(server), token);

            assertThat(responses).noneSatisfy(r -> assertThat(r.statusCode()).isGreaterThanOrEqualTo(500));
            assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 400))
                    .hasSize(RACERS - 1)
                    .allSatisfy(r -> assertThat(Jsons.parse(r.body())).containsEntry("error", "invalid_grant"));
            // The losers presented a used token outside any grace: that is reuse, so the family is dead.
            assertThat(familyRows(server.rotor(), token)).isEqualTo(new FamilyRows(1, 1, true));
        }
    }

    @Test
    void twoServersOnOneDatabaseRotateATokenOnce() throws Exception {
        try (TestServer first = TestServer.start()) {
            Map<Setting, String> flags = new EnumMap<>(Setting.class);
            flags.put(Setting.PORT, "0");
            flags.put(Setting.DATA_DIR, first.dataDir().toString());
            flags.put(Setting.ISSUER, "http://localhost:8080");
            try (Rotor second = Rotor.open(RotorConfig.load(flags, Map.of(), null), Clock.systemUTC(), TestServer.MASTER_KEY)) {
                int secondPort = second.start();
                String token = (String) first.passwordLogin("native").get("refresh_token");
                List<HttpResponse<String>> responses = race(List.of(first), token, secondPort);

                assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
                assertThat(responses.stream().map(r -> Jsons.parse(r.body()).get("refresh_token")).distinct()).hasSize(1);
                assertThat(familyRows(first.rotor(), token)).isEqualTo(new FamilyRows(1, 1, false));
            }
        }
    }

    private static List<HttpResponse<String>> race(List<TestServer> servers, String token, int... extraPorts) throws Exception {
        List<Integer> ports = new ArrayList<>();
        servers.forEach(s -> ports.add(s.port()));
        for (int p : extraPorts) ports.add(p);
        return RefreshRace.run(ports, token, RACERS);
    }

    record FamilyRows(int uses, int generation, boolean revoked) {}

    /** What the database holds for the family of {@code token}: recorded uses, generation, revoked. */
    static FamilyRows familyRows(Rotor rotor, String token) {
        RefreshTokenFamily f = rotor.sessions().findByToken(token).orElseThrow();
        return new FamilyRows(rotor.sessions().uses(f.id()).size(), f.generation(), f.isRevoked());
    }
}
