package dev.rotor.oauth;

import dev.rotor.account.Accounts;
import dev.rotor.account.PasswordPolicy;
import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.audit.AuditLog;
import dev.rotor.audit.RequestInfo;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Username and password sign-in that starts a session: shared by the password grant and the cookie login. */
public final class PasswordSignIn {
    /** OIDC {@code acr} for a single-factor sign-in; step-up raises it. */
    public static final String ACR_PASSWORD = "1";
    public static final int MAX_USERNAME = 256;
    /** OIDC {@code amr} (RFC 8176) of a password sign-in. */
    public static final List<String> AMR_PASSWORD = List.of("pwd");

    private final Accounts accounts;
    private final Sessions sessions;
    private final AuditLog audit;
    private final Clock clock;

    public PasswordSignIn(Accounts accounts, Sessions sessions, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A new session when the credentials are right; empty when they are not, whatever the reason (unknown user,
     * wrong password, disabled account), so the caller answers the same in every case.
     *
     * @throws OAuthException invalid_request for a missing or oversized field
     */
    public Optional<Sessions.Started> signIn(Client client, String username, String password, String scope,
                                            RefreshTokenFamily.Channel channel, RequestInfo request) {
        return check(client, username, password, request) instanceof Accounts.Valid v
                ? Optional.of(sessions.start(v.user().id(), client.id(), scope, AMR_PASSWORD, ACR_PASSWORD, channel, request))
                : Optional.empty();
    }

    /**
     * The credentials checked, with the failure audited: the one check behind every password sign-in (the password
     * grant, the cookie login and the hosted sign-in page).
     *
     * @throws OAuthException invalid_request for a missing or oversized field
     */
    public Accounts.Check check(Client client, String username, String password, RequestInfo request) {
        return check(client.id(), username, password, request);
    }

    /**
     * The same check for a sign-in that no client asked for (the user's account page).
     *
     * @param clientId the client the failure is audited under; null for none
     * @throws OAuthException invalid_request for a missing or oversized field
     */
    public Accounts.Check check(String clientId, String username, String password, RequestInfo request) {
        if (username == null || username.isEmpty()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: username");
        if (password == null || password.isEmpty()) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: password");
        if (username.length() > MAX_USERNAME) throw new OAuthException(ErrorCode.INVALID_REQUEST, "username too long");
        if (password.length() > PasswordPolicy.MAX_LENGTH * 4) throw new OAuthException(ErrorCode.INVALID_REQUEST, "password too long");
        Accounts.Check check = accounts.check(username, password);
        if (!(check instanceof Accounts.Valid)) {
            audit.record(AuditEvent.of(clock.instant(), "login.failed", null, null, clientId, request,
                    Map.of("username", username, "reason", check instanceof Accounts.Disabled ? "disabled" : "bad_credentials")));
        }
        return check;
    }
}
