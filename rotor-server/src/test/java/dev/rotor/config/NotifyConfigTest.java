package dev.rotor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ROTOR_NOTIFY_WEBHOOK_URL and ROTOR_NOTIFY_WEBHOOK_SECRET: a webhook that cannot work, or would leak, stops start-up. */
class NotifyConfigTest {
    private static final String SECRET = "k7Q2-never-printed-9f8e7d6c5b4a3210fedcba";

    private static RotorConfig load(String url, String secret) {
        return RotorConfig.load(Map.of(), Map.of("ROTOR_NOTIFY_WEBHOOK_URL", url, "ROTOR_NOTIFY_WEBHOOK_SECRET", secret), null);
    }

    @Test
    void byDefaultNoticesGoToTheLog() {
        assertThat(RotorConfig.load(Map.of(), Map.of(), null).notices()).isEqualTo(NotifyConfig.LOG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://siem.example.com/hooks/rotor", "http://127.0.0.1:9000/hook", "http://localhost/hook", "http://[::1]:8443/h"})
    void anHttpsUrlOrHttpToLoopbackWithASecretIsTaken(String url) {
        NotifyConfig c = load(url, SECRET).notices();

        assertThat(c.webhookUrl()).isEqualTo(URI.create(url));
        assertThat(c.webhookSecret()).isEqualTo(SECRET);
    }

    @Test
    void aUrlWithoutASecretIsRefused() {
        assertThatThrownBy(() -> load("https://siem.example.com/hook", ""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_NOTIFY_WEBHOOK_SECRET").hasMessageContaining("required");
    }

    @Test
    void aSecretWithoutAUrlIsRefused() {
        assertThatThrownBy(() -> load("", SECRET))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_NOTIFY_WEBHOOK_URL").satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://siem.example.com/hook           | https
            http://127.0.0.1.example.com/hook      | https
            http://10.0.0.5/hook                   | https
            ftp://siem.example.com/hook            | https
            /hooks/rotor                           | absolute
            https://siem.example.com/hook#x        | fragment
            https://user:pw@siem.example.com/hook  | user
            https://siem.example.com/a b           | not a URL
            """)
    void aUrlThatIsNotHttpsOrLoopbackHttpIsRefused(String url, String why) {
        assertThatThrownBy(() -> load(url, SECRET))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_NOTIFY_WEBHOOK_URL").hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).as("neither value is quoted").doesNotContain(SECRET, "pw@", "siem.example.com"));
    }

    @Test
    void aShortSecretIsRefusedWithoutQuotingIt() {
        String shortSecret = "s3cr3t-but-short";
        assertThatThrownBy(() -> load("https://siem.example.com/hook", shortSecret))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ROTOR_NOTIFY_WEBHOOK_SECRET").hasMessageContaining("32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortSecret));
    }

    @Test
    void theSecretIsInNoTextOfTheConfiguration() {
        RotorConfig c = load("https://siem.example.com/hooks/rotor?tenant=t-77", SECRET);

        assertThat(c.toString()).doesNotContain(SECRET).doesNotContain("tenant=t-77");
        assertThat(c.notices().toString()).isEqualTo("NotifyConfig[webhook=https://siem.example.com, secret=***]");
    }
}
