package dev.rotor.http;

import static dev.rotor.testing.OAuthAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RotationOutcome;
import dev.rotor.store.StoreException;
import dev.rotor.testing.Jsons;
import dev.rotor.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database failing under a running server: clear 503s with Retry-After (never a 500), readiness down while
 * writes fail, nothing half-written, and service back by itself when the database takes writes again.
 */
class DatabaseFaultIT {

    private static void pragma(TestServer server, String pragma) {
        server.rotor().database().write(tx -> {
            try (ResultSet ignored = tx.prepare("PRAGMA " + pragma).executeQuery()) {
                return null;
            } catch (java.sql.SQLException e) {
                // PRAGMAs that set a value return no rows on some drivers
                tx.prepare("PRAGMA " + pragma).execute();
                return null;
            }
        });
    }

    private static HttpResponse<String> ready(TestServer server) {
        return server.send(HttpRequest.newBuilder(server.uri("/health/ready")).GET());
    }

    private static HttpResponse<String> refresh(TestServer server, String token) {
        return server.token("grant_type=refresh_token&client_id=native&refresh_token=" + token);
    }

    @Test
    void aFullDatabaseGives503AndReadinessDownThenEverythingRecoversWhenThereIsRoomAgain() {
        try (TestServer server = TestServer.start()) {
            String token = (String) server.passwordLogin("native").get("refresh_token");
            assertThat(ready(server).statusCode()).isEqualTo(200);
            String alice = server.rotor().users().findByUsername("alice").orElseThrow().id();
            String filler = server.rotor().sessions().start(alice, "native", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                    new RequestInfo("192.0.2.1", "x")).refreshToken();
            long pages = server.rotor().database().read(tx -> {
                try (ResultSet rs = tx.prepare("PRAGMA page_count").executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            pragma(server, "max_page_count = " + pages);
            // Fill what is left of the last pages, with smaller and smaller rows, until not even a short one fits. Session ids
            // are random, so one that does not fit may leave room in another leaf: full is many failures in a row.
            boolean full = false;
            for (int size : new int[] {400, 100, 10, 0}) {
                int failures = 0;
                for (int i = 0; i < 10_000 && failures < 100; i++) {
                    try {
                        server.rotor().sessions().start(alice, "native", "openid", List.of("pwd"), "1",
                                RefreshTokenFamily.Channel.TOKEN_ENDPOINT, new RequestInfo("192.0.2.1", "x".repeat(size)));
                        failures = 0;
                    } catch (StoreException e) {
                        failures++;
                    }
                }
                full = failures >= 100;
            }
            assertThat(full).as("the database filled up").isTrue();
            // A refresh records its use: fill what is left of that table's pages by rotating a family of its own.
            for (int failures = 0, i = 0; i < 10_000 && failures < 100; i++) {
                try {
                    if (server.rotor().sessions().refresh(filler, "native", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                            new RequestInfo("192.0.2.1", "x")) instanceof RotationOutcome.Rotated r) {
                        filler = server.rotor().sessions().refreshToken(r.family());
                    }
                    failures = 0;
                } catch (StoreException e) {
                    failures++;
                }
            }
            // A sign-in writes the audit log on its own too (the risk decision): fill what is left of its pages as well.
            for (int size : new int[] {400, 100, 10, 0}) {
                for (int i = 0; i < 10_000; i++) {
                    try {
                        server.rotor().audit().record(AuditEvent.of(Instant.now(), "filler", alice, null, null, RequestInfo.NONE,
                                Map.of("x", "x".repeat(size))));
                    } catch (StoreException e) {
                        break;
                    }
                }
            }

            HttpResponse<String> refused = server.token("grant_type=password&client_id=native&username=alice&password="
                    + TestServer.PASSWORD.replace(' ', '+'));
            assertOAuthError(refused, 503, "temporarily_unavailable");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.body()).doesNotContain("SQLITE").doesNotContain("Exception");
            HttpResponse<String> down = ready(server);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(Jsons.parse(down.body())).containsEntry("database", false);
            RefreshTokenFamily before = server.rotor().sessions().findByToken(token).orElseThrow();
            assertOAuthError(refresh(server, token), 503, "temporarily_unavailable");
            assertThat(server.rotor().sessions().find(before.id())).as("nothing half-written").contains(before);

            pragma(server, "max_page_count = 1073741823");

            assertThat(ready(server).statusCode()).as("readiness comes back by itself").isEqualTo(200);
            assertThat(server.passwordLogin("native")).containsKey("refresh_token");
            assertThat(refresh(server, token).statusCode()).as("the refused refresh consumed nothing").isEqualTo(200);
            assertThat(server.rotor().sessions().find(before.id()).orElseThrow().generation()).isEqualTo(before.generation() + 1);
        }
    }
}
