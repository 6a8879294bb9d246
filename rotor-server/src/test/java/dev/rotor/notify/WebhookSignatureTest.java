package dev.rotor.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.testing.WebhookReceiver;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The webhook signature against values computed apart from Rotor's code: with Python's hmac, and with javax.crypto. */
class WebhookSignatureTest {
    private static final String SECRET = "whsec-0123456789abcdef0123456789abcdef";
    private static final long T = 1_767_225_600L;
    private static final byte[] BODY = "{\"id\":\"n1\",\"type\":\"login.denied\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theHeaderIsTheTimeAndTheHmacSha256OfTimeDotBody() {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec-...', b'1767225600.' + body, hashlib.sha256).hexdigest())"
        assertThat(new WebhookSignature(SECRET).header(T, BODY))
                .isEqualTo("t=1767225600,v1=b27c2f13555bb40f9ac4051a3fda4fa4ad07596d108d403cf361beef6af71fca");
    }

    @Test
    void theKeyAndTheBodyAreTheirUtf8Bytes() {
        String secret = "clé-ünïcode-0123456789abcdef0123456789";
        assertThat(new WebhookSignature(secret).header(T, "{\"ua\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("t=1767225600,v1=7de24580a61f9c6e71460a132eac479fa9e48e3d60943ebcc7457b67d25e5056");
    }

    @Test
    void itIsWhatAReceiverComputesWithJavaxCrypto() {
        String expected = HexFormat.of().formatHex(WebhookReceiver.hmac(SECRET, Long.toString(T), BODY));
        assertThat(new WebhookSignature(SECRET).header(T, BODY)).isEqualTo("t=" + T + ",v1=" + expected);
    }

    @Test
    void anotherTimeAnotherBodyOrAnotherKeySignsDifferently() {
        String base = new WebhookSignature(SECRET).header(T, BODY);
        assertThat(new WebhookSignature(SECRET).header(T + 1, BODY).substring(14)).isNotEqualTo(base.substring(14));
        assertThat(new WebhookSignature(SECRET).header(T, "{\"id\":\"n2\",\"type\":\"login.denied\"}".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(base);
        assertThat(new WebhookSignature(SECRET + "x").header(T, BODY)).isNotEqualTo(base);
    }

    @Test
    void itsTextNeverShowsTheKey() {
        assertThat(new WebhookSignature(SECRET).toString()).doesNotContain(SECRET);
    }
}
