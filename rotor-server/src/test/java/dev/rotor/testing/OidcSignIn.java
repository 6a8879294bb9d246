package dev.rotor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.rotor.oauth.authorize.Pkce;
import java.net.URI;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;

/**
 * The authorization code flow with PKCE as an app drives it on a {@link PageBrowser}: the hosted sign-in page (or no
 * page, when the browser's single sign-on session answers at once), then the code redeemed for tokens. For
 * first-party clients, which are not asked for consent.
 */
public final class OidcSignIn {
    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /** What the token endpoint answered; {@code refreshToken} is null without {@code offline_access}. */
    public record Tokens(String accessToken, String refreshToken, String idToken) {
        /** The {@code sid} of the ID token: the single sign-on session. */
        public String sid() {
            return claim("sid");
        }

        public String subject() {
            return claim("sub");
        }

        private String claim(String name) {
            try {
                return SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim(name);
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
        }
    }

    private OidcSignIn() {}

    public static Tokens signIn(TestServer server, PageBrowser browser, String clientId, String redirectUri, String scope) {
        return signIn(server, browser, clientId, redirectUri, scope, "alice");
    }

    /** As {@code username}, whose password is {@link TestServer#PASSWORD}. */
    public static Tokens signIn(TestServer server, PageBrowser browser, String clientId, String redirectUri, String scope, String username) {
        HttpResponse<String> page = browser.get("/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                + Forms.encode(redirectUri) + "&scope=" + Forms.encode(scope) + "&state=st&nonce=n"
                + "&code_challenge=" + Pkce.s256(VERIFIER) + "&code_challenge_method=S256");
        HttpResponse<String> back = page.statusCode() == 303 ? page
                : browser.post("/oauth2/authorize/login", PageBrowser.pageFields(page) + "&username=" + Forms.encode(username) + "&password="
                        + Forms.encode(TestServer.PASSWORD));
        assertThat(back.statusCode()).as("sent back to the app: %s", back.body()).isEqualTo(303);
        String query = URI.create(back.headers().firstValue("Location").orElseThrow()).getRawQuery();
        String code = null;
        for (String p : query.split("&")) if (p.startsWith("code=")) code = p.substring(5);
        assertThat(code).as("a code in " + query).isNotNull();
        HttpResponse<String> tokens = server.token(Forms.of("grant_type", "authorization_code", "client_id", clientId, "code", code,
                "redirect_uri", redirectUri, "code_verifier", VERIFIER));
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        Map<String, Object> json = Jsons.parse(tokens.body());
        return new Tokens((String) json.get("access_token"), (String) json.get("refresh_token"), (String) json.get("id_token"));
    }
}
