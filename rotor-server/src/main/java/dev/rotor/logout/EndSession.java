package dev.rotor.logout;

import dev.rotor.audit.RequestInfo;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ErrorCode;
import dev.rotor.oauth.OAuthException;
import dev.rotor.sso.SsoSession;
import dev.rotor.token.IdTokenHint;
import dev.rotor.token.IdTokens;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenID Connect RP-Initiated Logout 1.0: what {@code /oauth2/logout} does. Without a valid {@code id_token_hint}
 * naming the browser's own single sign-on session, nothing ends until the user confirms on a page of ours: a link
 * that signs people out without asking is a logout CSRF. A {@code post_logout_redirect_uri} is honoured only when it
 * is registered, exactly, for the client the hint or {@code client_id} names; a client that is not known gets no
 * redirect, a known client with an unregistered URI gets an error and nothing ends (no open redirect).
 */
public final class EndSession {
    public static final String ID_TOKEN_HINT = "id_token_hint";
    public static final String CLIENT_ID = "client_id";
    public static final String POST_LOGOUT_REDIRECT_URI = "post_logout_redirect_uri";
    public static final String STATE = "state";
    /** Longest ID token accepted as a hint, and longest other parameter. */
    static final int MAX_HINT = 8192;
    static final int MAX_PARAM = 2048;
    static final String REASON = "logout";

    private final IdTokens idTokens;
    private final ClientRegistry clients;
    private final SignOut signOut;

    public EndSession(IdTokens idTokens, ClientRegistry clients, SignOut signOut) {
        this.idTokens = idTokens;
        this.clients = clients;
        this.signOut = signOut;
    }

    /** What the browser is shown next. */
    public sealed interface Step {}

    /**
     * The confirmation page: the user has a session here and nothing proved that this request comes from its client.
     *
     * @param clientId the client the request named and proved, shown on the page; null when none
     * @param hidden   what the page posts back with the user's answer
     */
    public record Confirm(String clientId, Map<String, String> hidden) implements Step {}

    /**
     * Logout done (or nothing to end).
     *
     * @param redirectUri the registered post-logout redirect URI to send the browser to, with {@code state}; null for
     *                    the "signed out" page
     * @param ended       whether the browser's single sign-on session ended now (its cookie is then cleared)
     */
    public record Done(String redirectUri, String state, boolean ended) implements Step {}

    /** The parameters of the request, checked: hint verified, client known and agreeing, redirect registered. */
    private record Checked(IdTokenHint hint, Client client, String redirectUri, String state) {}

    /**
     * {@code GET} or {@code POST /oauth2/logout} from the client.
     *
     * @throws OAuthException {@code invalid_request} for a repeated or oversized parameter, a hint that is not an ID
     *                        token of ours, a {@code client_id} that disagrees with the hint, an unregistered redirect
     */
    public Step request(Map<String, List<String>> params, Optional<SsoSession> current, RequestInfo request) {
        Checked c = check(single(params));
        Optional<SsoSession> live = current;
        // A hint of the browser's own session (same sid, same user) shows the client holds that sign-in: no question.
        boolean proved = c.hint() != null && live.isPresent() && live.get().id().equals(c.hint().sid())
                && live.get().userId().equals(c.hint().subject());
        if (live.isPresent() && !proved) {
            Map<String, String> hidden = new LinkedHashMap<>();
            if (c.client() != null) hidden.put(CLIENT_ID, c.client().id());
            if (c.redirectUri() != null) hidden.put(POST_LOGOUT_REDIRECT_URI, c.redirectUri());
            if (c.state() != null) hidden.put(STATE, c.state());
            return new Confirm(c.client() == null ? null : c.client().id(), hidden);
        }
        boolean ended = live.isPresent() && signOut.end(live.get(), true, REASON, request);
        return new Done(c.redirectUri(), c.state(), ended);
    }

    /**
     * The user's answer on the confirmation page (its CSRF token checked by the caller): ends the browser's session and,
     * when {@code alsoApps}, every refresh-token family it started; the fields are checked again as on the request.
     */
    public Done confirm(Map<String, String> form, Optional<SsoSession> current, boolean alsoApps, RequestInfo request) {
        Map<String, String> fields = new LinkedHashMap<>(form);
        fields.remove(ID_TOKEN_HINT); // never posted by our page
        Checked c = check(fields);
        boolean ended = current.isPresent() && signOut.end(current.get(), alsoApps, REASON, request);
        return new Done(c.redirectUri(), c.state(), ended);
    }

    private Checked check(Map<String, String> p) {
        String hintValue = p.get(ID_TOKEN_HINT);
        IdTokenHint hint = null;
        if (hintValue != null && !hintValue.isEmpty()) {
            if (hintValue.length() > MAX_HINT) throw invalid("id_token_hint is too long", "id_token_hint of " + hintValue.length() + " chars");
            hint = idTokens.verifyHint(hintValue).orElseThrow(() -> invalid("id_token_hint is not a valid ID token of this server",
                    "id_token_hint does not verify"));
        }
        String clientId = blankToNull(p.get(CLIENT_ID));
        if (hint != null && clientId != null && !hint.isFor(clientId)) {
            throw invalid("client_id does not match the id_token_hint", "client_id " + clientId + " vs hint for " + hint.client());
        }
        String named = clientId != null ? clientId : hint == null ? null : hint.client();
        Client client = named == null ? null : clients.find(named).orElse(null);
        if (clientId != null && client == null) throw invalid("unknown client_id", "client_id " + clientId + " is not registered");
        String redirect = blankToNull(p.get(POST_LOGOUT_REDIRECT_URI));
        if (redirect != null && client != null && !client.postLogoutRedirectUris().contains(redirect)) {
            // RP-Initiated Logout 1.0 §3: exact match against the registered list, or no redirect at all.
            throw invalid("post_logout_redirect_uri is not registered for this client", "post_logout_redirect_uri not registered for "
                    + client.id());
        }
        // With no client known there is no list to match against: the browser is shown the "signed out" page.
        return new Checked(hint, client, client == null ? null : redirect, blankToNull(p.get(STATE)));
    }

    private static Map<String, String> single(Map<String, List<String>> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) throw invalid("parameter repeated: " + e.getKey(), "repeated " + e.getKey());
            String v = e.getValue().isEmpty() ? "" : e.getValue().getFirst();
            if (!e.getKey().equals(ID_TOKEN_HINT) && v.length() > MAX_PARAM) throw invalid(e.getKey() + " is too long", e.getKey() + " too long");
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static OAuthException invalid(String description, String detail) {
        return new OAuthException(ErrorCode.INVALID_REQUEST, description, detail);
    }
}
