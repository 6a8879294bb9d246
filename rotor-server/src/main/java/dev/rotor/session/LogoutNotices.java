package dev.rotor.session;

import java.util.List;

/**
 * Decides which back-channel logouts the end of some families calls for, so that {@link Sessions} hands them to the
 * store with the revocation itself (one transaction: a revocation is never committed without its notices).
 */
public interface LogoutNotices {
    /** Sends nothing: for a server without back-channel logout, and for tests of other things. */
    LogoutNotices NONE = ended -> List.of();

    /**
     * The notices for {@code ended}: one per client with a back-channel logout URI and per single sign-on session
     * (several families of one client in one SSO session give one notice); empty when no client registered a URI.
     */
    List<LogoutNotice> forEnded(List<RefreshTokenFamily> ended);
}
