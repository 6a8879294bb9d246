package dev.rotor.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.token.IssuedAccessToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token requests and answers as they show up in logs and exception messages: named, never with a secret. */
class TokenValuesTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String CLIENT_SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-0123";

    @Test
    void tokenRequestToStringNamesTheGrantAndClientAndNoParameter() {
        TokenRequest request = new TokenRequest("password", Map.of("username", "alice", "password", PASSWORD, "refresh_token", "R1-token"),
                new ClientCredentials("backend", CLIENT_SECRET, true), RequestInfo.NONE);

        assertThat(request.toString()).contains("password").contains("backend")
                .doesNotContain(PASSWORD).doesNotContain("R1-token").doesNotContain(CLIENT_SECRET);
    }

    @Test
    void tokenResponseToStringNamesTheFamilyAndScopeAndNotTheTokens() {
        MutableClock clock = new MutableClock();
        Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock, Duration.ofDays(7),
                Duration.ofDays(7), Duration.ofHours(1));
        Sessions.Started started = sessions.start("user-1", "native", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                RequestInfo.NONE);
        IssuedAccessToken access = new IssuedAccessToken("eyJ.access.token", clock.instant().plusSeconds(900), 900);

        TokenResponse withSession = new TokenResponse(access, started.refreshToken(), "openid", started.family());
        TokenResponse clientOnly = new TokenResponse(access, null, "orders:read", null);

        assertThat(withSession.toString()).contains(started.family().id()).contains("openid")
                .doesNotContain(started.refreshToken()).doesNotContain(access.value());
        assertThat(clientOnly.toString()).isEqualTo("TokenResponse[family=null, scope=orders:read]");
    }
}
