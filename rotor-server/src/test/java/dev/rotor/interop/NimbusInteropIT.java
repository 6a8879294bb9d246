package dev.rotor.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.rotor.config.Setting;
import dev.rotor.oauth.Client;
import dev.rotor.testing.SignInBrowser;
import dev.rotor.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An OpenID Connect relying party built from the Nimbus OAuth 2.0 SDK, and nothing of Rotor's, against a real Rotor on
 * loopback: it finds every endpoint through discovery, signs a user in with the authorization code flow (PKCE S256,
 * state, nonce) on the hosted page, validates the ID token and its {@code at_hash} with the SDK's validators against
 * the JWKS the metadata names, reads userinfo, refreshes, revokes, introspects and gets client tokens. Every request is
 * the SDK's, and every answer is read by the SDK's parser, so a response the SDK cannot parse fails the test. The
 * only hand-written client code is the browser ({@link SignInBrowser}): a person fills in the form.
 *
 * <p>The issuer is the server's real address, as discovery must be fetched from the issuer itself; the single
 * sign-on cookie is not {@code Secure} (plain http on loopback) so that the browser's cookie jar sends it.
 */
class NimbusInteropIT {
    private static final ClientID APP = new ClientID("interop-app");
    private static final URI CALLBACK = URI.create("https://rp.example.test/callback");
    private static final URI LOGGED_OUT = URI.create("https://rp.example.test/logged-out");
    private static final Scope SCOPE = new Scope("openid", "profile", "email", "offline_access");
    private static final ClientSecretBasic BACKEND_BASIC = new ClientSecretBasic(new ClientID("backend"), new Secret(TestServer.CONFIDENTIAL_SECRET));
    private static final ClientSecretPost BACKEND_POST = new ClientSecretPost(new ClientID("backend"), new Secret(TestServer.CONFIDENTIAL_SECRET));
    private static final int TIMEOUT_MS = 10_000;

    private static TestServer server;
    private static Issuer issuer;
    private static OIDCProviderMetadata provider;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startAtItsIssuer(Map.of(Setting.COOKIE_SECURE, "false"), Clock.systemUTC());
        server.rotor().clientStore().add(new Client(APP.getValue(), Client.Type.PUBLIC, null, List.of(CALLBACK.toString()),
                new LinkedHashSet<>(List.of("authorization_code", "refresh_token")), Set.of(), true, SCOPE.toString(), Instant.now(), Set.of(),
                List.of(LOGGED_OUT.toString()), null, false, null, null));
        issuer = new Issuer(server.rotor().config().issuer());
        provider = OIDCProviderMetadata.resolve(issuer, TIMEOUT_MS, TIMEOUT_MS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---------------------------------------------------------------- discovery

    @Test
    void discoveryResolvesInBothFormsAndAdvertisesWhatThisClientUses() throws Exception {
        AuthorizationServerMetadata oauth = AuthorizationServerMetadata.resolve(issuer, TIMEOUT_MS, TIMEOUT_MS);

        for (AuthorizationServerMetadata m : List.of(provider, oauth)) {
            assertThat(m.getIssuer()).isEqualTo(issuer);
            assertThat(m.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
            assertThat(m.supportsAuthorizationResponseIssuerParam()).isTrue();
            assertThat(m.getTokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.NONE, ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                    ClientAuthenticationMethod.CLIENT_SECRET_POST);
            assertThat(m.getIntrospectionEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                    ClientAuthenticationMethod.CLIENT_SECRET_POST);
            for (URI endpoint : new URI[] {m.getAuthorizationEndpointURI(), m.getTokenEndpointURI(), m.getJWKSetURI(),
                    m.getRevocationEndpointURI(), m.getIntrospectionEndpointURI()}) {
                assertThat(endpoint).isNotNull();
                assertThat(endpoint.toString()).startsWith(issuer.getValue() + "/");
            }
        }
        assertThat(provider.getUserInfoEndpointURI()).isNotNull();
        assertThat(provider.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.ES256);
    }

    // ---------------------------------------------------------------- the authorization code flow

    @Test
    void codeFlowWithPkceStateAndNonceGivesAnIdTokenTheSdkValidatesAndUserInfoAgrees() throws Exception {
        SignInBrowser browser = new SignInBrowser();
        SignedIn s = signIn(browser);

        IDTokenClaimsSet id = s.idClaims();
        assertThat(id.getIssuer()).isEqualTo(issuer);
        assertThat(id.getAudience()).extracting(a -> a.getValue()).containsExactly(APP.getValue());
        assertThat(id.getNonce()).isEqualTo(s.nonce());
        assertThat(id.getAccessTokenHash()).as("at_hash, checked by AccessTokenValidator in signIn").isNotNull();
        assertThat(id.getAuthenticationTime()).isNotNull();
        assertThat(id.getStringClaim("email")).isEqualTo("alice@example.test");
        assertThat(s.tokens().getAccessToken().getType()).isEqualTo(AccessTokenType.BEARER);
        assertThat(s.tokens().getAccessToken().getLifetime()).isEqualTo(900);
        assertThat(s.tokens().getRefreshToken()).isNotNull();

        UserInfo info = userInfo(s.tokens().getAccessToken());
        assertThat(info.getSubject()).isEqualTo(id.getSubject());
        assertThat(info.getName()).isEqualTo("Alice");
        assertThat(info.getEmailAddress()).isEqualTo("alice@example.test");
        assertThat(info.getPreferredUsername()).isEqualTo("alice");

        // The ID token is for the client, not a credential for the API: userinfo refuses it as a Bearer token.
        UserInfoResponse idAsBearer = UserInfoResponse.parse(send(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                new BearerAccessToken(s.tokens().getIDTokenString())).toHTTPRequest()));
        assertThat(idAsBearer.indicatesSuccess()).isFalse();
        assertThat(idAsBearer.toErrorResponse().getErrorObject().getCode()).isEqualTo(BearerTokenError.INVALID_TOKEN.getCode());

        // The same browser holds the single sign-on cookie: a second request is answered without a page.
        URI second = authenticationRequest(new State(), new Nonce(), new CodeVerifier()).build().toURI();
        assertThat(browser.get(second).statusCode()).as("straight back to the client, no sign-in page").isEqualTo(303);
        SignedIn again = signIn(browser);
        assertThat(again.idClaims().getSubject()).isEqualTo(id.getSubject());
        assertThat(again.idClaims().getAuthenticationTime()).as("not a new sign-in").isEqualTo(id.getAuthenticationTime());
    }

    @Test
    void idTokenValidatorRefusesTheIdTokenForAnotherNonceOrAnotherClient() throws Exception {
        SignedIn s = signIn(new SignInBrowser());
        JWT idToken = s.tokens().getIDToken();

        assertThatThrownBy(() -> idTokenValidator(APP).validate(idToken, new Nonce())).isInstanceOf(BadJOSEException.class);
        assertThatThrownBy(() -> idTokenValidator(new ClientID("someone-else")).validate(idToken, s.nonce())).isInstanceOf(BadJOSEException.class);
    }

    @Test
    void promptNoneWithoutASessionIsAnAuthenticationErrorTheSdkParsesWithStateAndIss() throws Exception {
        State state = new State();
        AuthenticationRequest request = authenticationRequest(state, new Nonce(), new CodeVerifier()).prompt(new Prompt(Prompt.Type.NONE)).build();

        URI back = URI.create(new SignInBrowser().get(request.toURI()).headers().firstValue("Location").orElseThrow());
        AuthenticationResponse response = AuthenticationResponseParser.parse(back);

        assertThat(response.indicatesSuccess()).isFalse();
        AuthenticationErrorResponse error = response.toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("login_required");
        assertThat(error.getState()).isEqualTo(state);
        assertThat(error.getIssuer()).isEqualTo(issuer);
    }

    // ---------------------------------------------------------------- refresh

    @Test
    void refreshRotatesAndOnceTheSuccessorIsUsedTheOldTokenIsInvalidGrantAndSoIsTheFamily() throws Exception {
        RefreshToken t0 = signIn(new SignInBrowser()).tokens().getRefreshToken();

        Tokens first = tokens(new RefreshTokenGrant(t0), null);
        RefreshToken t1 = first.getRefreshToken();
        assertThat(t1).isNotNull().isNotEqualTo(t0);
        // Inside the retry window, before t1 was presented, t0 again is a lost response retried: the same successor.
        assertThat(tokens(new RefreshTokenGrant(t0), null).getRefreshToken()).isEqualTo(t1);
        RefreshToken t2 = tokens(new RefreshTokenGrant(t1), null).getRefreshToken();
        assertThat(t2).isNotIn(t0, t1);

        assertThat(tokenError(new RefreshTokenGrant(t0)).getCode()).isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
        assertThat(tokenError(new RefreshTokenGrant(t2)).getCode()).as("reuse revoked the family").isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
    }

    // ---------------------------------------------------------------- revocation and introspection

    @Test
    void revokingTheRefreshTokenEndsTheSessionForIntrospectionUserInfoAndTheTokenEndpoint() throws Exception {
        Tokens t = signIn(new SignInBrowser()).tokens();
        AccessToken access = t.getAccessToken();

        TokenIntrospectionSuccessResponse live = introspect(BACKEND_BASIC, access);
        assertThat(live.isActive()).isTrue();
        assertThat(live.getClientID()).isEqualTo(APP);
        assertThat(live.getUsername()).isEqualTo("alice");
        assertThat(live.getIssuer()).isEqualTo(issuer);
        assertThat(live.getScope()).isEqualTo(SCOPE);

        HTTPResponse revoked = send(new TokenRevocationRequest(provider.getRevocationEndpointURI(), APP, t.getRefreshToken()).toHTTPRequest());
        revoked.ensureStatusCode(HTTPResponse.SC_OK);

        assertThat(introspect(BACKEND_BASIC, access).isActive()).isFalse();
        assertThat(introspect(BACKEND_POST, t.getRefreshToken()).isActive()).isFalse();
        UserInfoResponse refused = UserInfoResponse.parse(send(new UserInfoRequest(provider.getUserInfoEndpointURI(), (BearerAccessToken) access)
                .toHTTPRequest()));
        assertThat(refused.indicatesSuccess()).isFalse();
        ErrorObject error = ((UserInfoErrorResponse) refused).getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(401);
        assertThat(error.getCode()).as("read from the WWW-Authenticate challenge").isEqualTo(BearerTokenError.INVALID_TOKEN.getCode());
        assertThat(tokenError(new RefreshTokenGrant(t.getRefreshToken())).getCode()).isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
    }

    // ---------------------------------------------------------------- client credentials

    static Stream<Arguments> confidentialAuthentication() {
        return Stream.of(Arguments.of("client_secret_basic", BACKEND_BASIC), Arguments.of("client_secret_post", BACKEND_POST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("confidentialAuthentication")
    void clientCredentialsGrantWorksWithEitherSecretMethodAndTheTokenIntrospectsActive(String method, ClientAuthentication auth) throws Exception {
        Tokens t = tokens(new ClientCredentialsGrant(), auth);

        assertThat(t.getRefreshToken()).as("no refresh token for a client token").isNull();
        assertThat(t.getAccessToken().getType()).isEqualTo(AccessTokenType.BEARER);
        TokenIntrospectionSuccessResponse i = introspect(auth, t.getAccessToken());
        assertThat(i.isActive()).isTrue();
        assertThat(i.getClientID()).isEqualTo(auth.getClientID());
        assertThat(i.getSubject().getValue()).isEqualTo(auth.getClientID().getValue());
    }

    // ---------------------------------------------------------------- RP-initiated logout

    @Test
    void rpInitiatedLogoutWithTheSdksRequestEndsTheSingleSignOnAndComesBackWithState() throws Exception {
        SignInBrowser browser = new SignInBrowser();
        SignedIn s = signIn(browser);
        State state = new State();
        URI endSession = provider.getEndSessionEndpointURI();
        assertThat(endSession).as("end_session_endpoint in discovery").isNotNull();

        URI logout = new LogoutRequest(endSession, s.tokens().getIDToken(), LOGGED_OUT, state).toURI();
        java.net.http.HttpResponse<String> answer = browser.get(logout);

        assertThat(answer.statusCode()).isEqualTo(303);
        URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(LOGGED_OUT + "?");
        assertThat(State.parse(com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(back.getRawQuery()).get("state").getFirst()))
                .isEqualTo(state);
        URI again = authenticationRequest(new State(), new Nonce(), new CodeVerifier()).build().toURI();
        assertThat(browser.get(again).statusCode()).as("the sign-in page again: the single sign-on session ended").isEqualTo(200);
        TokenResponse refreshed = OIDCTokenResponseParser.parse(send(new TokenRequest.Builder(provider.getTokenEndpointURI(), APP,
                new RefreshTokenGrant(s.tokens().getRefreshToken())).build().toHTTPRequest()));
        assertThat(refreshed.indicatesSuccess()).as("the app's refresh token ended with it").isFalse();
    }

    // ---------------------------------------------------------------- the relying party

    /** What a completed sign-in leaves the relying party with. */
    private record SignedIn(OIDCTokens tokens, IDTokenClaimsSet idClaims, Nonce nonce) {}

    private static AuthenticationRequest.Builder authenticationRequest(State state, Nonce nonce, CodeVerifier verifier) {
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), SCOPE, APP, CALLBACK)
                .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256);
    }

    /**
     * The whole flow as an RP runs it: the request, the browser on the sign-in page, the response checked for state and
     * issuer (RFC 9207), the code redeemed with the verifier, and the ID token and its {@code at_hash} validated.
     */
    private static SignedIn signIn(SignInBrowser browser) throws Exception {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        URI request = authenticationRequest(state, nonce, verifier).build().toURI();

        URI back = browser.signIn(request, "alice", TestServer.PASSWORD);
        assertThat(back.toString()).startsWith(CALLBACK + "?");
        AuthenticationResponse response = AuthenticationResponseParser.parse(back);
        assertThat(response.indicatesSuccess()).as("authentication response %s", back).isTrue();
        AuthenticationSuccessResponse success = response.toSuccessResponse();
        assertThat(success.getState()).isEqualTo(state);
        assertThat(success.getIssuer()).as("iss (RFC 9207)").isEqualTo(issuer);
        AuthorizationCode code = success.getAuthorizationCode();
        assertThat(code).isNotNull();

        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(send(new TokenRequest.Builder(provider.getTokenEndpointURI(), APP,
                new AuthorizationCodeGrant(code, CALLBACK, verifier)).build().toHTTPRequest()));
        assertThat(tokenResponse.indicatesSuccess()).as("token response %s", tokenResponse).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) tokenResponse.toSuccessResponse()).getOIDCTokens();

        IDTokenClaimsSet claims = idTokenValidator(APP).validate(tokens.getIDToken(), nonce);
        AccessTokenValidator.validate(tokens.getAccessToken(), JWSAlgorithm.ES256, claims.getAccessTokenHash());
        return new SignedIn(tokens, claims, nonce);
    }

    /** The SDK's validator with the keys from the JWKS that discovery names, ES256 only. */
    private static IDTokenValidator idTokenValidator(ClientID client) throws IOException {
        return new IDTokenValidator(issuer, client, JWSAlgorithm.ES256, provider.getJWKSetURI().toURL());
    }

    private static UserInfo userInfo(AccessToken access) throws Exception {
        UserInfoResponse r = UserInfoResponse.parse(send(new UserInfoRequest(provider.getUserInfoEndpointURI(), (BearerAccessToken) access)
                .toHTTPRequest()));
        assertThat(r.indicatesSuccess()).as("userinfo %s", r).isTrue();
        return r.toSuccessResponse().getUserInfo();
    }

    /** The tokens of a successful token response; {@code auth} null for the public client. */
    private static Tokens tokens(AuthorizationGrant grant, ClientAuthentication auth) throws Exception {
        TokenResponse r = OIDCTokenResponseParser.parse(send(tokenRequest(grant, auth).toHTTPRequest()));
        assertThat(r.indicatesSuccess()).as("token response %s", r).isTrue();
        return r.toSuccessResponse().getTokens();
    }

    /** The error of a refused token request of the public client (RFC 6749 §5.2: 400 for invalid_grant). */
    private static ErrorObject tokenError(AuthorizationGrant grant) throws Exception {
        TokenResponse r = OIDCTokenResponseParser.parse(send(tokenRequest(grant, null).toHTTPRequest()));
        assertThat(r.indicatesSuccess()).as("refused: %s", r).isFalse();
        ErrorObject error = ((TokenErrorResponse) r).getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getDescription()).isNotBlank();
        return error;
    }

    private static TokenRequest tokenRequest(AuthorizationGrant grant, ClientAuthentication auth) {
        URI endpoint = provider.getTokenEndpointURI();
        return (auth == null ? new TokenRequest.Builder(endpoint, APP, grant) : new TokenRequest.Builder(endpoint, auth, grant)).build();
    }

    private static TokenIntrospectionSuccessResponse introspect(ClientAuthentication auth, Token token) throws Exception {
        TokenIntrospectionResponse r = TokenIntrospectionResponse.parse(send(new TokenIntrospectionRequest(provider.getIntrospectionEndpointURI(),
                auth, token).toHTTPRequest()));
        assertThat(r.indicatesSuccess()).as("introspection %s", r).isTrue();
        return r.toSuccessResponse();
    }

    private static HTTPResponse send(HTTPRequest request) throws IOException {
        request.setConnectTimeout(TIMEOUT_MS);
        request.setReadTimeout(TIMEOUT_MS);
        return request.send();
    }
}
