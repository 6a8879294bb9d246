package dev.rotor.oauth;

import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.Sessions;
import dev.rotor.signin.MfaTokens;
import dev.rotor.signin.SecondFactors;
import java.util.Optional;

/**
 * {@code grant_type=urn:rotor:params:oauth:grant-type:mfa-otp}: a native app finishes a password grant that answered
 * {@code 403 mfa_required}, with the {@code mfa_token} of that answer and {@code otp} (the authenticator app's code)
 * or {@code recovery_code}. Only the client that started the sign-in may finish it; the session gets the scope the
 * password grant asked for. A refresh the risk policy held for a step-up ({@code mfa_required} from
 * {@code grant_type=refresh_token}) is finished the same way, with the same {@code refresh_token} sent again.
 */
public final class MfaOtpGrant implements Grant {
    private final PasswordSignIn signIn;
    private final Issuance issuance;
    private final RefreshTokenGrant refreshGrant;

    public MfaOtpGrant(PasswordSignIn signIn, Issuance issuance, RefreshTokenGrant refreshGrant) {
        this.signIn = signIn;
        this.issuance = issuance;
        this.refreshGrant = refreshGrant;
    }

    @Override
    public GrantType type() {
        return GrantType.MFA_OTP;
    }

    @Override
    public TokenResponse handle(Client client, TokenRequest request) {
        if (!client.firstParty()) throw new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, "client may not use the password grant");
        String token = request.required("mfa_token");
        String otp = request.param("otp");
        String recovery = request.param("recovery_code");
        if (otp != null && recovery != null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "send otp or recovery_code, not both");
        SecondFactors.Proof proof = otp != null ? new SecondFactors.Proof.Otp(otp)
                : recovery != null ? new SecondFactors.Proof.RecoveryCode(recovery) : null;
        if (proof == null) throw new OAuthException(ErrorCode.INVALID_REQUEST, "missing parameter: otp or recovery_code");
        Optional<MfaTokens.Pending> held = signIn.held(token, PasswordSignIn.Surface.TOKEN_ENDPOINT).filter(MfaTokens.Pending::isRefresh);
        if (held.isPresent()) {
            return refreshGrant.finishStepUp(signIn, token, proof, request.required("refresh_token"), client,
                    RefreshTokenFamily.Channel.TOKEN_ENDPOINT, request.request());
        }
        Sessions.Started started = signIn.secondFactor(client, token, proof, RefreshTokenFamily.Channel.TOKEN_ENDPOINT, request.request(),
                PasswordSignIn.Surface.TOKEN_ENDPOINT);
        String scope = started.family().scope();
        return new TokenResponse(issuance.forSession(started.family(), client, scope), started.refreshToken(), scope, started.family());
    }
}
