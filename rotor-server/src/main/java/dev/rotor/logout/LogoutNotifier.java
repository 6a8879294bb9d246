package dev.rotor.logout;

import dev.rotor.oauth.Client;
import dev.rotor.oauth.ClientRegistry;
import dev.rotor.session.LogoutNotice;
import dev.rotor.session.LogoutNotices;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.sso.SsoSessionStore;
import dev.rotor.sso.SsoSessions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Back-Channel Logout 1.0 §2.5: which clients hear of ended families. A client hears when it registered a
 * {@code backchannel_logout_uri}; the token names the user ({@code sub}) and, when the family came from a single
 * sign-on session, that session ({@code sid}, the one its ID tokens carried). Several families of one client in one
 * SSO session give one notice: a client ends what it holds for that {@code sid}, once.
 */
public final class LogoutNotifier implements LogoutNotices {
    private final ClientRegistry clients;
    private final SsoSessions sso;

    public LogoutNotifier(ClientRegistry clients, SsoSessions sso) {
        this.clients = clients;
        this.sso = sso;
    }

    @Override
    public List<LogoutNotice> forEnded(List<RefreshTokenFamily> ended) {
        Set<LogoutNotice> out = new LinkedHashSet<>();
        for (RefreshTokenFamily f : ended) {
            Optional<String> uri = clients.find(f.clientId()).map(Client::backchannelLogoutUri);
            if (uri.isEmpty()) continue;
            out.add(new LogoutNotice(f.clientId(), uri.get(), f.userId(), sso.sessionOfFamily(f.id()).orElse(null)));
        }
        return new ArrayList<>(out);
    }

    /** One notice per client that took part in the single sign-on session {@code sid} and registered a URI. */
    public List<LogoutNotice> forSsoSession(String sid, String userId, List<SsoSessionStore.Link> links) {
        Set<LogoutNotice> out = new LinkedHashSet<>();
        for (SsoSessionStore.Link link : links) {
            clients.find(link.clientId()).map(Client::backchannelLogoutUri)
                    .ifPresent(uri -> out.add(new LogoutNotice(link.clientId(), uri, userId, sid)));
        }
        return new ArrayList<>(out);
    }
}
