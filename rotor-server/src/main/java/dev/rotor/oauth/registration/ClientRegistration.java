package dev.rotor.oauth.registration;

import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.Base64Url;
import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.oauth.ClientStore;
import dev.rotor.oauth.GrantType;
import dev.rotor.oauth.ProfileClaim;
import dev.rotor.oauth.Scopes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registering, changing and removing clients: every rule a registration must pass lives here, so that the CLI and
 * any other caller refuse the same things with the same words. {@link Client} keeps only the invariants the
 * request path relies on.
 *
 * <p>Refusals are {@link IllegalArgumentException}s whose message names the value and the rule, never a secret.
 */
public final class ClientRegistration {
    /** How long the previous secret keeps working after a rotation unless told otherwise. */
    public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    /** An overlap longer than this keeps a secret that was meant to be replaced alive for too long. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(30);
    public static final String DEFAULT_SCOPE = "openid profile email offline_access";
    static final int MIN_SECRET_LENGTH = 32;
    static final int MAX_SECRET_LENGTH = 512;
    static final int MAX_URIS = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7E]+");
    /** The grants that sign a user in, the only ones whose tokens can carry profile claims. */
    private static final Set<String> USER_GRANTS = Set.of(GrantType.AUTHORIZATION_CODE.value(), GrantType.REFRESH_TOKEN.value(),
            GrantType.PASSWORD.value());

    private final ClientStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public ClientRegistration(ClientStore store, AuditLog audit, Clock clock, SecureRandom random) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
    }

    /**
     * What an operator asks for. Empty or null fields take the defaults: grants {@code authorization_code} and
     * {@code refresh_token} when redirect URIs are given, else {@code refresh_token} (public) or
     * {@code client_credentials} (confidential); scope {@link #DEFAULT_SCOPE}; consent asked unless first-party.
     *
     * @param secret          a confidential client's secret chosen by the operator; null to have one generated
     * @param consentRequired null for the default
     */
    public record Request(String id, Client.Type type, List<String> redirectUris, List<String> grants, List<String> origins,
                          boolean firstParty, Boolean consentRequired, String scope, List<String> claims,
                          List<String> postLogoutRedirectUris, String backchannelLogoutUri, String secret) {
        public Request {
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
            grants = grants == null ? List.of() : List.copyOf(grants);
            origins = origins == null ? List.of() : List.copyOf(origins);
            claims = claims == null ? List.of() : List.copyOf(claims);
            postLogoutRedirectUris = postLogoutRedirectUris == null ? List.of() : List.copyOf(postLogoutRedirectUris);
        }

        @Override
        public String toString() {
            return "Request[id=" + id + ", type=" + type + "]"; // never the secret
        }

        /** For callers that set a few fields: the rest take the defaults. */
        public static final class Builder {
            private String id;
            private Client.Type type;
            private List<String> redirectUris = List.of();
            private List<String> grants = List.of();
            private List<String> origins = List.of();
            private boolean firstParty;
            private Boolean consentRequired;
            private String scope;
            private List<String> claims = List.of();
            private List<String> postLogoutRedirectUris = List.of();
            private String backchannelLogoutUri;
            private String secret;

            public Builder(String id, Client.Type type) {
                this.id = id;
                this.type = type;
            }

            public Builder id(String v) { id = v; return this; }
            public Builder type(Client.Type v) { type = v; return this; }
            public Builder redirectUris(String... v) { redirectUris = List.of(v); return this; }
            public Builder grants(String... v) { grants = List.of(v); return this; }
            public Builder origins(String... v) { origins = List.of(v); return this; }
            public Builder firstParty() { firstParty = true; return this; }
            public Builder consent(boolean required) { consentRequired = required; return this; }
            public Builder scope(String v) { scope = v; return this; }
            public Builder claims(String... v) { claims = List.of(v); return this; }
            public Builder postLogoutRedirectUris(String... v) { postLogoutRedirectUris = List.of(v); return this; }
            public Builder backchannel(String v) { backchannelLogoutUri = v; return this; }
            public Builder secret(String v) { secret = v; return this; }

            public Request build() {
                return new Request(id, type, redirectUris, grants, origins, firstParty, consentRequired, scope, claims, postLogoutRedirectUris,
                        backchannelLogoutUri, secret);
            }
        }
    }

    /**
     * A stored client, with its secret when this call generated it (shown once: only its SHA-256 is kept) and notes
     * for the operator about settings that work but are discouraged.
     */
    public record Registered(Client client, String generatedSecret, List<String> notes) {
        @Override
        public String toString() {
            return "Registered[" + client + "]";
        }
    }

    /** @throws IllegalArgumentException naming the broken rule; nothing is stored then */
    public Registered register(Request r) {
        if (r.id() == null || !ID.matcher(r.id()).matches()) throw new IllegalArgumentException("client id must be 1-128 of A-Z a-z 0-9 . _ ~ -");
        if (r.type() == null) throw new IllegalArgumentException("the client type must be public or confidential");
        List<String> notes = new ArrayList<>();
        List<String> redirects = uris("redirect URI", r.redirectUris(), notes);
        List<String> postLogout = uris("post-logout redirect URI", r.postLogoutRedirectUris(), notes);
        Set<String> grants = grants(r, redirects);
        Set<String> origins = origins(r);
        String scope = scope(r.scope());
        Set<String> claims = claims(r.claims(), scope, grants);
        String backchannel = r.backchannelLogoutUri();
        if (backchannel != null) {
            String problem = ClientUris.backchannelProblem(backchannel);
            if (problem != null) throw new IllegalArgumentException("back-channel logout URI '" + backchannel + "' " + problem);
        }
        boolean consentRequired = r.consentRequired() == null ? !r.firstParty() : r.consentRequired();
        // A third party that skips consent is what a phishing app wants (the record refuses it too).
        if (!consentRequired && !r.firstParty()) throw new IllegalArgumentException("only a first-party client may skip consent (--first-party)");
        String generated = null;
        String secretHash = null;
        if (r.type() == Client.Type.CONFIDENTIAL) {
            String secret = r.secret();
            if (secret == null) {
                secret = generated = newSecret();
            } else if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH || !SECRET.matcher(secret).matches()) {
                throw new IllegalArgumentException("the client secret must have at least " + MIN_SECRET_LENGTH + " characters (at most "
                        + MAX_SECRET_LENGTH + ", printable ASCII without spaces)");
            }
            secretHash = ClientRegistry.hashSecret(secret);
        } else if (r.secret() != null) {
            throw new IllegalArgumentException("a public client has no secret (use --type confidential)");
        }
        Instant now = clock.instant();
        Client client = new Client(r.id(), r.type(), secretHash, redirects, grants, origins, r.firstParty(), scope, now, claims, postLogout,
                backchannel, consentRequired, null, null);
        store.add(client);
        audit.record(AuditEvent.of(now, "client.registered", null, null, client.id(), RequestInfo.NONE,
                Map.of("type", client.type().value(), "grants", String.join(" ", grants))));
        return new Registered(client, generated, List.copyOf(notes));
    }

    /**
     * Gives a confidential client a new generated secret. The old one keeps working for {@code overlap} (zero: stops at
     * once), so that its deployments can roll over; a secret from an earlier rotation stops now.
     *
     * @return the client as stored, with the new secret
     * @throws IllegalArgumentException for an unknown or public client, or an overlap out of range
     */
    public Registered rotateSecret(String id, Duration overlap) {
        if (overlap == null || overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new IllegalArgumentException("the overlap must be between 0 and " + MAX_OVERLAP.toDays() + "d");
        }
        Client current = existing(id);
        if (current.isPublic()) throw new IllegalArgumentException("client " + id + " is public and has no secret to rotate");
        String secret = newSecret();
        Instant now = clock.instant();
        boolean keepsOld = !overlap.isZero();
        Client rotated = new Client(current.id(), current.type(), ClientRegistry.hashSecret(secret), current.redirectUris(), current.grants(),
                current.origins(), current.firstParty(), current.scope(), current.createdAt(), current.claims(),
                current.postLogoutRedirectUris(), current.backchannelLogoutUri(), current.consentRequired(),
                keepsOld ? current.secretHash() : null, keepsOld ? now.plus(overlap) : null);
        // Two rotations at once: only one replaces the secret it read, the other is told to run again.
        if (!store.replace(rotated, current.secretHash())) {
            throw new IllegalStateException("client " + id + " changed while its secret was rotated; run the command again");
        }
        audit.record(AuditEvent.of(now, "client.secret_rotated", null, null, id, RequestInfo.NONE,
                Map.of("previous_secret_until", keepsOld ? now.plus(overlap).toString() : "none")));
        return new Registered(rotated, secret, List.of());
    }

    /** What {@link #remove} did. */
    public sealed interface Removal permits Removed, HasLiveSessions {}

    /** The client is gone, with the sessions, codes and consents it had. */
    public record Removed(Client client, int sessions) implements Removal {}

    /** Refused: the client has live sessions and removal was not forced; nothing changed. */
    public record HasLiveSessions(Client client, int sessions) implements Removal {}

    /**
     * Removes a client. While it has live sessions this is refused unless {@code force}: removing it signs those users
     * out of its app. A removed client's refresh tokens, codes and consents go with it (a client registered later
     * under the same id inherits nothing), and the audit log keeps a {@code client.removed} event.
     *
     * @throws IllegalArgumentException when there is no such client
     */
    public Removal remove(String id, boolean force) {
        Client client = existing(id);
        Instant now = clock.instant();
        int live = store.liveSessions(id, now);
        if (live > 0 && !force) return new HasLiveSessions(client, live);
        int deleted = store.remove(id);
        if (deleted < 0) throw new IllegalArgumentException("no client " + id);
        audit.record(AuditEvent.of(now, "client.removed", null, null, id, RequestInfo.NONE,
                Map.of("sessions", Integer.toString(deleted), "live_sessions", Integer.toString(live))));
        return new Removed(client, deleted);
    }

    public Optional<Client> find(String id) {
        return id == null || !ID.matcher(id).matches() ? Optional.empty() : store.find(id);
    }

    public List<Client> list() {
        return store.list();
    }

    private Client existing(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("no client " + id + " (see rotor client list)"));
    }

    /** 256 bits from the CSPRNG, base64url without padding: 43 characters. */
    private String newSecret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64Url.encode(b);
    }

    private static List<String> uris(String what, List<String> given, List<String> notes) {
        if (given.size() > MAX_URIS) throw new IllegalArgumentException("at most " + MAX_URIS + " " + what + "s");
        Set<String> seen = new LinkedHashSet<>();
        for (String u : given) {
            String problem = ClientUris.redirectProblem(u);
            if (problem != null) throw new IllegalArgumentException(what + " '" + u + "' " + problem);
            if (!seen.add(u)) throw new IllegalArgumentException(what + " '" + u + "' is given twice");
            String note = ClientUris.localhostNote(u);
            if (note != null) notes.add(note);
        }
        return List.copyOf(seen);
    }

    private static Set<String> grants(Request r, List<String> redirects) {
        Set<String> grants = new LinkedHashSet<>(r.grants());
        if (grants.isEmpty()) {
            if (!redirects.isEmpty()) grants.addAll(List.of(GrantType.AUTHORIZATION_CODE.value(), GrantType.REFRESH_TOKEN.value()));
            else grants.add(r.type() == Client.Type.PUBLIC ? GrantType.REFRESH_TOKEN.value() : GrantType.CLIENT_CREDENTIALS.value());
        }
        for (String g : grants) {
            if (!Client.KNOWN_GRANTS.contains(g)) {
                throw new IllegalArgumentException("unknown grant " + g + " (known: " + String.join(", ", new java.util.TreeSet<>(Client.KNOWN_GRANTS)) + ")");
            }
        }
        // RFC 9700 §2.4: the password grant hands the user's password to the client, so only to an app of the operator's own.
        if (grants.contains(GrantType.PASSWORD.value()) && !r.firstParty()) throw new IllegalArgumentException("the password grant needs --first-party");
        // RFC 6749 §4.4: client_credentials authenticates the client itself, which a public client cannot do.
        if (grants.contains(GrantType.CLIENT_CREDENTIALS.value()) && r.type() == Client.Type.PUBLIC) {
            throw new IllegalArgumentException("client_credentials needs a confidential client (--type confidential)");
        }
        boolean code = grants.contains(GrantType.AUTHORIZATION_CODE.value());
        if (code && redirects.isEmpty()) throw new IllegalArgumentException("authorization_code needs at least one --redirect-uri");
        // Configurations that could never take effect are refused rather than silently ignored.
        if (!code && !redirects.isEmpty()) throw new IllegalArgumentException("redirect URIs are only used by the authorization_code grant (add --grant authorization_code)");
        if (!code && !r.postLogoutRedirectUris().isEmpty()) {
            throw new IllegalArgumentException("post-logout redirect URIs need the authorization_code grant (sign-in through the browser)");
        }
        return grants;
    }

    private static Set<String> origins(Request r) {
        Set<String> origins = new LinkedHashSet<>();
        if (r.origins().size() > MAX_URIS) throw new IllegalArgumentException("at most " + MAX_URIS + " origins");
        for (String o : r.origins()) {
            String problem = ClientUris.originProblem(o);
            if (problem != null) throw new IllegalArgumentException("'" + o + "' " + problem);
            origins.add(o);
        }
        // Origins admit a browser app to the cookie API, which only public clients use.
        if (!origins.isEmpty() && r.type() != Client.Type.PUBLIC) throw new IllegalArgumentException("origins are for public (browser) clients");
        return origins;
    }

    private static String scope(String given) {
        String scope = given == null ? DEFAULT_SCOPE : given.trim();
        if (scope.isEmpty()) throw new IllegalArgumentException("the scope must name at least one scope");
        if (scope.length() > 1024) throw new IllegalArgumentException("the scope may have at most 1024 characters");
        for (String word : Scopes.parse(scope)) {
            if (!SCOPE_TOKEN.matcher(word).matches()) {
                throw new IllegalArgumentException("scope '" + word + "' has a character a scope may not have (RFC 6749 §3.3: no quote, backslash, space or control)");
            }
        }
        return String.join(" ", Scopes.parse(scope));
    }

    private static Set<String> claims(List<String> given, String scope, Set<String> grants) {
        Set<String> scopes = Scopes.parse(scope);
        Set<String> claims = new LinkedHashSet<>();
        for (String c : given) {
            ProfileClaim claim = ProfileClaim.named(c).orElseThrow(() ->
                    new IllegalArgumentException("unknown claim " + c + " (known: " + ProfileClaim.names() + ")"));
            if (!scopes.contains(claim.scope())) throw new IllegalArgumentException("claim " + c + " needs scope " + claim.scope());
            claims.add(c);
        }
        if (!claims.isEmpty() && grants.stream().noneMatch(USER_GRANTS::contains)) {
            throw new IllegalArgumentException("profile claims need a grant that signs users in (" + String.join(", ", new java.util.TreeSet<>(USER_GRANTS)) + ")");
        }
        return claims;
    }
}
