package dev.rotor.risk.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class DeviceIdsTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void anIssuedCookieReadsBackAsItsHashAndTheHashIsNotTheValue() {
        DeviceIds.Issued issued = DeviceIds.issue(random);

        assertThat(issued.cookieValue()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(DeviceIds.browserHash(issued.cookieValue())).contains(issued.hash());
        assertThat(issued.hash()).isNotEqualTo(issued.cookieValue()).doesNotContain(issued.cookieValue());
        assertThat(issued.toString()).doesNotContain(issued.cookieValue());
        assertThat(DeviceIds.issue(random).cookieValue()).isNotEqualTo(issued.cookieValue());
    }

    @Test
    void aMalformedCookieIsNoDevice() {
        String good = DeviceIds.issue(random).cookieValue();
        assertThat(DeviceIds.browserHash(null)).isEmpty();
        assertThat(DeviceIds.browserHash("")).isEmpty();
        assertThat(DeviceIds.browserHash(good.substring(1))).isEmpty();
        assertThat(DeviceIds.browserHash(good + "=")).as("padding: another spelling").isEmpty();
        assertThat(DeviceIds.browserHash("a".repeat(43))).as("not canonical base64url").isEmpty();
    }

    @Test
    void aNativeDeviceIdIsBoundToItsClientAndNeverSharesAHashWithACookie() {
        String id = "3f2b9c1e-7a4d-4e8f-9b0a-1c2d3e4f5a6b";
        assertThat(DeviceIds.nativeHash("ios-app", id)).isPresent().isNotEqualTo(DeviceIds.nativeHash("android-app", id));
        assertThat(DeviceIds.nativeHash("ios-app", id)).isEqualTo(DeviceIds.nativeHash("ios-app", id));
        String cookie = DeviceIds.issue(random).cookieValue();
        assertThat(DeviceIds.nativeHash("ios-app", cookie)).isNotEqualTo(DeviceIds.browserHash(cookie));
    }

    @Test
    void aNativeDeviceIdMustBeLongEnoughAndPlain() {
        assertThat(DeviceIds.nativeHash("app", "short")).isEmpty();
        assertThat(DeviceIds.nativeHash("app", "x".repeat(129))).isEmpty();
        assertThat(DeviceIds.nativeHash("app", "has space in it, twenty-two+")).isEmpty();
        assertThat(DeviceIds.nativeHash("app", null)).isEmpty();
        assertThat(DeviceIds.nativeHash("app", "A".repeat(22))).isPresent();
    }
}
