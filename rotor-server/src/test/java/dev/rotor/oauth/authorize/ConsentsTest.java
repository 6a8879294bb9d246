package dev.rotor.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.audit.RequestInfo;
import dev.rotor.session.InMemoryRefreshTokenStore;
import dev.rotor.session.MutableClock;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.testing.RecordingAuditLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Remembered consent: per user and client, covering a scope only when it covers every scope in it, widened, withdrawable. */
class ConsentsTest {
    private static final RequestInfo LAPTOP = new RequestInfo("203.0.113.7", "Firefox/128");
    private final MutableClock clock = new MutableClock();
    private final InMemoryConsentStore store = new InMemoryConsentStore();
    private final Sessions sessions = new Sessions(new InMemoryRefreshTokenStore(), new RefreshTokenCodec(new byte[32]), clock,
            Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final Consents consents = new Consents(store, sessions, audit, clock);

    @ParameterizedTest(name = "allowed ''{0}'', asked ''{1}'' -> {2}")
    @CsvSource({
            "openid profile email, openid profile email, true",
            "openid profile email, profile openid, true",
            "openid profile email, openid, true",
            "openid profile, openid profile email, false",
            "openid, profile, false",
            "openid profile, openid offline_access, false",
    })
    void coversWhenEveryAskedScopeWasAllowed(String allowed, String asked, boolean covered) {
        consents.allow("alice", "partner", allowed);
        assertThat(consents.covers("alice", "partner", asked)).isEqualTo(covered);
    }

    @Test
    void coversNothingForAnotherUserOrClientOrWithoutConsent() {
        consents.allow("alice", "partner", "openid profile");

        assertThat(consents.covers("bob", "partner", "openid")).isFalse();
        assertThat(consents.covers("alice", "other", "openid")).isFalse();
    }

    @Test
    void allowWidensWhatWasAllowedBeforeAndRecordsWhen() {
        consents.allow("alice", "partner", "openid profile");
        clock.advance(Duration.ofMinutes(5));
        consents.allow("alice", "partner", "email openid");

        assertThat(store.find("alice", "partner")).contains(new ConsentStore.Consent("alice", "partner", "openid profile email", clock.instant()));
        assertThat(consents.covers("alice", "partner", "profile email")).isTrue();
    }

    @Test
    void withdrawDeletesTheConsentAndEndsOnlyThatClientsSessionsOfTheUser() {
        consents.allow("alice", "partner", "openid");
        RefreshTokenFamily partner = sessions.start("alice", "partner", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP).family();
        RefreshTokenFamily web = sessions.start("alice", "web", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP).family();
        RefreshTokenFamily bobs = sessions.start("bob", "partner", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP).family();

        assertThat(consents.withdraw("alice", "partner", LAPTOP)).isTrue();

        assertThat(consents.covers("alice", "partner", "openid")).isFalse();
        assertThat(sessions.find(partner.id())).hasValueSatisfying(f -> {
            assertThat(sessions.isActive(f)).isFalse();
            assertThat(f.revokeReason()).isEqualTo(Consents.WITHDRAWN);
        });
        assertThat(sessions.find(web.id())).hasValueSatisfying(f -> assertThat(sessions.isActive(f)).isTrue());
        assertThat(sessions.find(bobs.id())).hasValueSatisfying(f -> assertThat(sessions.isActive(f)).isTrue());
        assertThat(consents.withdraw("alice", "partner", LAPTOP)).as("nothing left to withdraw").isFalse();
    }

    @Test
    void withdrawIsAuditedOnceWithTheScopeAndTheSessionsItEnded() {
        consents.allow("alice", "partner", "openid profile");
        sessions.start("alice", "partner", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP);

        consents.withdraw("alice", "partner", LAPTOP);
        consents.withdraw("alice", "partner", LAPTOP);

        assertThat(audit.events).filteredOn(e -> e.type().equals("consent.withdrawn")).singleElement().satisfies(e -> {
            assertThat(e.userId()).isEqualTo("alice");
            assertThat(e.clientId()).isEqualTo("partner");
            assertThat(e.request()).isEqualTo(LAPTOP);
            assertThat(e.at()).isEqualTo(clock.instant());
            assertThat(e.detail()).containsEntry("scope", "openid profile").containsEntry("sessions_ended", "1");
        });
    }

    @Test
    void withdrawWithoutAConsentChangesNothingNotEvenTheClientsSessions() {
        // A first-party client that asks for no consent: its sessions were never the consent's to end.
        RefreshTokenFamily web = sessions.start("alice", "web", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, LAPTOP).family();

        assertThat(consents.withdraw("alice", "web", LAPTOP)).isFalse();

        assertThat(sessions.find(web.id())).hasValueSatisfying(f -> assertThat(sessions.isActive(f)).isTrue());
        assertThat(audit.events).noneMatch(e -> e.type().equals("consent.withdrawn"));
    }

    @Test
    void listIsTheUsersConsents() {
        consents.allow("alice", "partner", "openid");
        consents.allow("bob", "partner", "openid");

        assertThat(consents.list("alice")).extracting(ConsentStore.Consent::clientId).containsExactly("partner");
    }
}
