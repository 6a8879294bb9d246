package dev.rotor.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.config.Setting;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.RefreshRace;
import dev.rotor.testing.TestClock;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three Rotor servers on loopback sharing one PostgreSQL database, as nodes behind a load balancer are: every
 * guarantee of rotation holds across them, with no sticky sessions.
 */
class ClusterIT {
    private static final int RACERS = 99;

    /** Three nodes on one fresh database, sharing {@code clock}. */
    private record Cluster(TestServer a, TestServer b, TestServer c) implements AutoCloseable {
        static Cluster start(Map<Setting, String> overrides, Clock clock) {
            TestServer a = TestServer.startOnPostgres(overrides, clock);
            TestServer b = null;
            try {
                b = TestServer.node(a, overrides, clock);
                return new Cluster(a, b, TestServer.node(a, overrides, clock));
            } catch (RuntimeException e) {
                if (b != null) b.close();
                a.close();
                throw e;
            }
        }

        List<TestServer> nodes() {
            return List.of(a, b, c);
        }

        @Override
        public void close() {
            c.close();
            b.close();
            a.close();
        }
    }

    private static HttpResponse<String> refresh(TestServer node, String token) {
        return node.token("grant_type=refresh_token&client_id=native&refresh_token=" + token);
    }

    private static String refreshToken(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Jsons.parse(r.body()).get("refresh_token");
    }

    /** {@link #RACERS} refreshes of one token, spread over the nodes, released at once. */
    private static List<HttpResponse<String>> race(Cluster cluster, String token) throws Exception {
        return RefreshRace.run(cluster.nodes().stream().map(TestServer::port).toList(), token, RACERS);
    }

    @Test
    void oneTokenSentToThreeNodesAtOnceRotatesOnceAndEveryAnswerCarriesTheSameSuccessor() throws Exception {
        try (Cluster cluster = Cluster.start(Map.of(), Clock.systemUTC())) {
            String token = (String) cluster.a().passwordLogin("native").get("refresh_token");

            List<HttpResponse<String>> responses = race(cluster, token);

            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
            Map<Object, Long> successors = responses.stream()
                    .collect(Collectors.groupingBy(r -> Jsons.parse(r.body()).get("refresh_token"), Collectors.counting()));
            assertThat(successors).hasSize(1);
            RefreshTokenFamily f = cluster.c().rotor().sessions().findByToken(token).orElseThrow();
            assertThat(f.generation()).as("exactly one successor").isEqualTo(1);
            assertThat(f.isRevoked()).isFalse();
            assertThat(cluster.b().rotor().sessions().uses(f.id())).hasSize(1);
            String successor = (String) successors.keySet().iterator().next();
            assertThat(refresh(cluster.b(), successor).statusCode()).as("the one successor works on any node").isEqualTo(200);
        }
    }

    @Test
    void oneTokenSentToThreeNodesAtOnceWithoutRetryWindowLetsExactlyOneSucceed() throws Exception {
        try (Cluster cluster = Cluster.start(Map.of(Setting.GRACE, "0"), Clock.systemUTC())) {
            String token = (String) cluster.a().passwordLogin("native").get("refresh_token");

            List<HttpResponse<String>> responses = race(cluster, token);

            assertThat(responses).noneSatisfy(r -> assertThat(r.statusCode()).isGreaterThanOrEqualTo(500));
            assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(1);
            assertThat(responses.stream().filter(r -> r.statusCode() == 400)).hasSize(RACERS - 1)
                    .allSatisfy(r -> assertThat(Jsons.parse(r.body())).containsEntry("error", "invalid_grant"));
            RefreshTokenFamily f = cluster.a().rotor().sessions().findByToken(token).orElseThrow();
            assertThat(f.generation()).isEqualTo(1);
            assertThat(f.isRevoked()).as("the losers presented a used token without a window: reuse").isTrue();
        }
    }

    @Test
    void aReplayAfterTheWindowOnNodeBRevokesAFamilyRotatedOnNodeA() {
        TestClock clock = new TestClock();
        try (Cluster cluster = Cluster.start(Map.of(), clock)) {
            String t0 = (String) cluster.a().passwordLogin("native").get("refresh_token");
            String t1 = refreshToken(refresh(cluster.a(), t0));
            assertThat(refreshToken(refresh(cluster.c(), t0))).as("a retry on another node").isEqualTo(t1);
            clock.advance(Duration.ofHours(1).plusSeconds(1));

            HttpResponse<String> replay = refresh(cluster.b(), t0);

            assertThat(replay.statusCode()).isEqualTo(400);
            assertThat(Jsons.parse(replay.body())).containsEntry("error", "invalid_grant");
            assertThat(refresh(cluster.c(), t1).statusCode()).as("the family is dead on every node").isEqualTo(400);
            assertThat(cluster.a().rotor().audit().tail(50)).anySatisfy(e -> assertThat(e.type()).isEqualTo("refresh_token.reuse_detected"));
        }
    }

    /** The kid in the header of an access token that {@code node} issues now. */
    private static String signingKid(TestServer node) {
        String access = (String) node.passwordLogin("native").get("access_token");
        String header = new String(java.util.Base64.getUrlDecoder().decode(access.substring(0, access.indexOf('.'))));
        return (String) Jsons.parse(header).get("kid");
    }

    @Test
    void aKeyRotatedThroughNodeAIsPublishedAndSignsOnNodeCAfterItsReload() {
        try (Cluster cluster = Cluster.start(Map.of(), Clock.systemUTC())) {
            String before = signingKid(cluster.c());

            String rotated = cluster.a().rotor().keys().rotate(true).kid();

            assertThat(rotated).isNotEqualTo(before);
            assertThat(signingKid(cluster.a())).isEqualTo(rotated);
            assertThat(signingKid(cluster.c())).as("until its next reload (every 30 s) node C signs with the old key").isEqualTo(before);
            // Every node reloads its key ring on a 30 s schedule; the test runs the reload instead of waiting for it.
            cluster.b().rotor().keys().reload();
            cluster.c().rotor().keys().reload();
            assertThat(signingKid(cluster.c())).isEqualTo(rotated);
            HttpResponse<String> jwks = cluster.b().send(HttpRequest.newBuilder(cluster.b().uri("/oauth2/jwks")));
            assertThat(jwks.body()).as("the new key and the retiring one").contains(rotated).contains(before);
        }
    }

    @Test
    void aSessionRevokedOnNodeAIsRefusedOnNodeCAndADisabledUserCannotSignInAnywhere() {
        try (Cluster cluster = Cluster.start(Map.of(), Clock.systemUTC())) {
            String token = (String) cluster.a().passwordLogin("native").get("refresh_token");
            RefreshTokenFamily f = cluster.a().rotor().sessions().findByToken(token).orElseThrow();

            assertThat(cluster.a().rotor().sessions().revoke(f, "operator", dev.rotor.audit.RequestInfo.NONE)).isTrue();

            HttpResponse<String> refused = refresh(cluster.c(), token);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(Jsons.parse(refused.body())).containsEntry("error", "invalid_grant");

            assertThat(cluster.a().rotor().users().disable("alice")).isTrue();
            HttpResponse<String> signIn = cluster.b().token("grant_type=password&client_id=native&username=alice&password="
                    + TestServer.PASSWORD.replace(' ', '+'));
            assertThat(signIn.statusCode()).isEqualTo(400);
            assertThat(Jsons.parse(signIn.body())).containsEntry("error", "invalid_grant");
        }
    }
}
