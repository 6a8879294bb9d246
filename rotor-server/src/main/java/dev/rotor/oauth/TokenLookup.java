package dev.rotor.oauth;

import dev.rotor.session.Sessions;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.VerifiedAccessToken;
import java.util.Optional;

/**
 * What a presented value is, for the revocation and introspection endpoints: a refresh token of this server (any
 * generation of a family that still exists, checked by its MAC), an access token of this server (signature, issuer,
 * audience and time checked by {@link AccessTokens#verify}), or nothing. It only reads: nothing is rotated or touched.
 */
public final class TokenLookup {
    private final Sessions sessions;
    private final AccessTokens accessTokens;

    public TokenLookup(Sessions sessions, AccessTokens accessTokens) {
        this.sessions = sessions;
        this.accessTokens = accessTokens;
    }

    /** A presented value as found. */
    public sealed interface Found {
        record RefreshToken(Sessions.Presented presented) implements Found {}

        record AccessToken(VerifiedAccessToken token) implements Found {}

        /** Malformed, unknown, forged, expired or for someone else: all the same to the caller. */
        record Nothing() implements Found {}
    }

    private static final Found NOTHING = new Found.Nothing();

    /**
     * RFC 7009 §2.1, RFC 7662 §2.1: the hint says where to look first; a value not found there is looked for as the
     * other kind too, so a wrong hint changes nothing (and an unknown hint arrives here as null). The two formats
     * cannot be mistaken for each other (a refresh token is 71 base64url characters without a dot, a JWT has two).
     *
     * @param hint null when none (or an unknown one) was given
     */
    public Found find(String value, TokenType hint) {
        if (value == null || value.isEmpty()) return NOTHING;
        Optional<Found> found = hint == TokenType.ACCESS_TOKEN ? access(value).or(() -> refresh(value)) : refresh(value).or(() -> access(value));
        return found.orElse(NOTHING);
    }

    private Optional<Found> refresh(String value) {
        return sessions.present(value).map(Found.RefreshToken::new);
    }

    private Optional<Found> access(String value) {
        return accessTokens.verify(value).map(Found.AccessToken::new);
    }
}
