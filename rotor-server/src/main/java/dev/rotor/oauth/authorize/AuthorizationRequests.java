package dev.rotor.oauth.authorize;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.GrantType;
import dev.rotor.oauth.OAuthError;
import dev.rotor.oauth.OAuthException;
import dev.rotor.oauth.Scopes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an authorization request in the order RFC 6749 §4.1.2.1 needs: the client and the redirect URI first, whose
 * errors are shown to the user and never redirected (an open redirector otherwise), then everything else, whose
 * errors go back to the client's redirect URI.
 */
public final class AuthorizationRequests {
    static final int MAX_STATE = 2048;
    static final int MAX_NONCE = 512;
    static final int MAX_LOGIN_HINT = 256;
    /** A max_age beyond this is treated as "any age" rather than overflowing (100 years). */
    private static final long MAX_AGE_CAP = 3_153_600_000L;

    private final ClientRegistry clients;
    private final String issuer;

    public AuthorizationRequests(ClientRegistry clients, String issuer) {
        this.clients = clients;
        this.issuer = issuer;
    }

    /** The outcome of checking: a valid request, an error for the user's eyes, or an error for the client. */
    public sealed interface Parsed permits Valid, Unredirectable, Redirectable {}

    public record Valid(AuthorizationRequest request) implements Parsed {}

    /** The client or redirect URI cannot be trusted: shown on a page, never redirected. */
    public record Unredirectable(OAuthError error) implements Parsed {}

    public record Redirectable(AuthorizationResponse response, OAuthError error) implements Parsed {}

    public Parsed parse(Map<String, List<String>> query) {
        Map<String, String> p = new HashMap<>();
        String repeated = null;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getValue().size() > 1) repeated = repeated == null ? e.getKey() : repeated;
            p.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        String clientId = blankToNull(p.get("client_id"));
        String redirectUri = blankToNull(p.get("redirect_uri"));
        // RFC 6749 §4.1.2.1: a missing, invalid or mismatching client or redirect URI is shown, not redirected.
        if (query.getOrDefault("client_id", List.of()).size() > 1 || query.getOrDefault("redirect_uri", List.of()).size() > 1) {
            return unredirectable("client_id and redirect_uri must appear once");
        }
        if (clientId == null) return unredirectable("missing parameter: client_id");
        Optional<Client> found = clients.find(clientId);
        if (found.isEmpty()) return unredirectable("unknown client");
        Client client = found.get();
        if (redirectUri == null) return unredirectable("missing parameter: redirect_uri");
        if (!RedirectUris.matches(client.redirectUris(), redirectUri)) return unredirectable("redirect_uri is not registered for this client");

        String state = p.get("state");
        // A repeated or oversized state is not echoed: the client would not recognise it anyway.
        String echoedState = state != null && state.length() <= MAX_STATE && query.get("state").size() == 1 ? state : null;
        ResponseMode mode = "form_post".equals(p.get("response_mode")) ? ResponseMode.FORM_POST : ResponseMode.QUERY;
        try {
            if (repeated != null) throw invalid("parameter repeated: " + repeated);
            if (state != null && state.length() > MAX_STATE) throw invalid("state too long");
            String rm = p.get("response_mode");
            if (rm != null && !rm.equals("query") && !rm.equals("form_post")) throw invalid("response_mode must be query or form_post");
            // OIDC Core §6: request objects are not supported, and saying so is better than ignoring them.
            if (p.containsKey("request")) throw new OAuthException(ErrorCode.REQUEST_NOT_SUPPORTED, "request objects are not supported");
            if (p.containsKey("request_uri")) throw new OAuthException(ErrorCode.REQUEST_URI_NOT_SUPPORTED, "request_uri is not supported");
            String responseType = blankToNull(p.get("response_type"));
            if (responseType == null) throw invalid("missing parameter: response_type");
            if (!responseType.equals("code")) throw new OAuthException(ErrorCode.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code");
            if (!client.allowsGrant(GrantType.AUTHORIZATION_CODE)) {
                throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use the authorization code flow");
            }
            String challenge = pkce(client, blankToNull(p.get("code_challenge")), blankToNull(p.get("code_challenge_method")));
            String requestedScope = blankToNull(p.get("scope"));
            if (requestedScope == null) throw new OAuthException(ErrorCode.INVALID_SCOPE, "missing parameter: scope");
            String scope = Scopes.grant(requestedScope, client.scope());
            Set<Prompt> prompt = prompt(p.get("prompt"));
            Duration maxAge = maxAge(p.get("max_age"));
            String nonce = blankToNull(p.get("nonce"));
            if (nonce != null && nonce.length() > MAX_NONCE) throw invalid("nonce too long");
            String loginHint = blankToNull(p.get("login_hint"));
            if (loginHint != null && loginHint.length() > MAX_LOGIN_HINT) throw invalid("login_hint too long");
            return new Valid(new AuthorizationRequest(client, redirectUri, scope, echoedState, nonce, challenge, mode, prompt, maxAge,
                    loginHint, p));
        } catch (OAuthException e) {
            return new Redirectable(errorResponse(redirectUri, mode, e.error(), echoedState), e.error());
        }
    }

    /** The error response for a request whose redirect URI is trusted. */
    public AuthorizationResponse errorResponse(AuthorizationRequest request, OAuthError error) {
        return errorResponse(request.redirectUri(), request.responseMode(), error, request.state());
    }

    /** The code response. */
    public AuthorizationResponse codeResponse(AuthorizationRequest request, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        if (request.state() != null) params.put("state", request.state());
        params.put("iss", issuer); // RFC 9207: tells a client talking to several servers which one answered
        return new AuthorizationResponse(request.redirectUri(), request.responseMode(), params);
    }

    private AuthorizationResponse errorResponse(String redirectUri, ResponseMode mode, OAuthError error, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error.code().value());
        params.put("error_description", error.description());
        if (state != null) params.put("state", state);
        params.put("iss", issuer);
        return new AuthorizationResponse(redirectUri, mode, params);
    }

    /** RFC 7636 and OAuth 2.1 §4.1.1: S256 only; required of public clients, optional (but checked) for confidential ones. */
    private static String pkce(Client client, String challenge, String method) {
        if (challenge == null) {
            if (method != null) throw invalid("code_challenge_method without code_challenge");
            if (client.isPublic()) throw invalid("code_challenge is required (PKCE, S256)");
            return null;
        }
        // RFC 7636 §4.3: an absent method means plain, which Rotor refuses like an explicit plain.
        if (!Pkce.S256.equals(method)) throw invalid("code_challenge_method must be S256");
        if (!Pkce.isChallenge(challenge)) throw invalid("code_challenge must be 43 base64url characters");
        return challenge;
    }

    private static Set<Prompt> prompt(String value) {
        if (value == null || value.isEmpty()) return Set.of();
        Set<Prompt> out = EnumSet.noneOf(Prompt.class);
        for (String v : value.split(" ")) {
            if (v.isEmpty()) continue;
            out.add(Prompt.named(v).orElseThrow(() -> invalid("unsupported prompt value")));
        }
        // OIDC Core §3.1.2.1: none with any other value is an error.
        if (out.contains(Prompt.NONE) && out.size() > 1) throw invalid("prompt=none cannot be combined with other values");
        return out;
    }

    private static Duration maxAge(String value) {
        if (value == null || value.isEmpty()) return null;
        if (!value.matches("[0-9]{1,19}")) throw invalid("max_age must be a non-negative number of seconds");
        try {
            return Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_AGE_CAP));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(MAX_AGE_CAP);
        }
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(ErrorCode.INVALID_REQUEST, description);
    }

    private static Unredirectable unredirectable(String description) {
        return new Unredirectable(OAuthError.of(ErrorCode.INVALID_REQUEST, description));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
