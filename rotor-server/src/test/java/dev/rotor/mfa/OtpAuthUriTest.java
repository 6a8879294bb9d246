package dev.rotor.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtpAuthUriTest {
    private static final TotpSecret SECRET = new TotpSecret("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void theKeyUriOfAuthenticatorApps() {
        assertThat(OtpAuthUri.of("Rotor", "alice", SECRET, Totp.USERS)).isEqualTo(
                "otpauth://totp/Rotor:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Rotor&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void labelAndIssuerArePercentEncodedSoThatNoUsernameMovesThem() {
        String uri = OtpAuthUri.of("auth.example.com", "Zoë Doe:x?secret=AAAA&issuer=Evil#f", SECRET, Totp.USERS);

        assertThat(uri).isEqualTo("otpauth://totp/auth.example.com:Zo%C3%AB%20Doe%3Ax%3Fsecret%3DAAAA%26issuer%3DEvil%23f"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=auth.example.com&algorithm=SHA1&digits=6&period=30");
        URI parsed = URI.create(uri);
        assertThat(parsed.getPath()).isEqualTo("/auth.example.com:Zoë Doe:x?secret=AAAA&issuer=Evil#f");
        assertThat(parsed.getRawQuery()).startsWith("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=auth.example.com&");
        assertThat(parsed.getFragment()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"https://auth.example.com, auth.example.com", "https://auth.example.com:8443/tenant, auth.example.com",
            "http://localhost:8080, localhost", "urn:rotor, Rotor", "'', Rotor", "'not a uri ', Rotor"})
    void theIssuerNameIsTheIssuersHostOrRotor(String issuer, String name) {
        assertThat(OtpAuthUri.issuerName(issuer)).isEqualTo(name);
    }
}
