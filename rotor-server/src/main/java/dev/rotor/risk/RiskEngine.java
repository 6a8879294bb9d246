package dev.rotor.risk;

import dev.rotor.config.IpLiteral;
import dev.rotor.risk.RiskHistory.LastSignIn;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.risk.source.NetworkPrefix;
import dev.rotor.risk.source.Place;
import dev.rotor.risk.source.UserAgentFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The risk engine: gathers {@link Signals} from a request and the signal sources, reads the history, and lets
 * {@link RiskScorer} decide. Thread-safe; it holds no state of its own.
 *
 * <p>How a caller uses it:
 * <pre>
 * // Sign-in, once the password (or SSO session) is right:
 * Assessment a = risk.assessSignIn(new SignInContext(user.id(), ip, userAgent, deviceHash, accountFailures, ipFailures,
 *         hasSecondFactor, clock.instant()));
 * switch (a.decision()) {
 *     case ALLOW   -&gt; { risk.recordSuccess(context); issue tokens; }
 *     case STEP_UP -&gt; { hold the sign-in for a second factor; on success: risk.recordSuccess(context); issue tokens with otp in amr; }
 *     case DENY    -&gt; answer access_denied;
 * }
 * audit the decision with a.score() and a.reasons();
 *
 * // Refresh, before the rotation:
 * Assessment r = risk.assessRefresh(RefreshContext.of(family, ip, userAgent, deviceHash, hasSecondFactor, clock.instant()));
 * // ALLOW: rotate. STEP_UP: hold the refresh for a second factor. DENY: revoke the family, answer invalid_grant.
 * </pre>
 *
 * <p>What it remembers ({@link #recordSuccess}) is only what an allowed or stepped-up sign-in showed: the device, the
 * network (prefix and autonomous system), the country, and the time and place as the last sign-in. A denied or
 * abandoned sign-in teaches it nothing, so an attacker cannot make their own network "known" by trying. Refreshes are
 * not remembered here: the family records its own last IP and User-Agent.
 */
public final class RiskEngine {
    private final RiskPolicy policy;
    private final GeoIp geo;
    private final DenyList denyList;
    private final RiskHistoryStore history;

    public RiskEngine(RiskPolicy policy, GeoIp geo, DenyList denyList, RiskHistoryStore history) {
        this.policy = policy;
        this.geo = geo;
        this.denyList = denyList;
        this.history = history;
    }

    public RiskPolicy policy() {
        return policy;
    }

    public Assessment assessSignIn(SignInContext c) {
        return RiskScorer.signIn(signals(c), history.find(c.userId()), policy, c.hasSecondFactor());
    }

    public Assessment assessRefresh(RefreshContext c) {
        Optional<InetAddress> address = IpLiteral.parse(c.ip());
        Signals s = new Signals(c.now(), address.map(NetworkPrefix::of).orElse(null), address.map(geo::locate).orElse(Place.UNKNOWN),
                address.flatMap(denyList::match).orElse(null), c.deviceHash(), UserAgentFamily.of(c.userAgent()), 0, 0);
        FamilyHistory family = new FamilyHistory(use(c.createdIp(), c.createdUserAgent()), use(c.lastIp(), c.lastUserAgent()), c.familyDeviceHash());
        return RiskScorer.refresh(s, family, policy, c.hasSecondFactor());
    }

    /**
     * What the policy makes of {@code assessed} (scored for a user with a second factor) when the user turns out to
     * have none: decided again from the same reasons, nothing looked up or scored twice.
     */
    public Assessment withoutSecondFactor(Assessment assessed) {
        return RiskScorer.decide(assessed.reasons(), assessed.has(Signal.DENY_LISTED_IP), policy, false);
    }

    /** Remembers a sign-in that was allowed, or whose step-up succeeded (see the class comment). */
    public void recordSuccess(SignInContext c) {
        Signals s = signals(c);
        List<String> networks = new ArrayList<>(2);
        if (s.network() != null) networks.add(s.network());
        if (s.place().asn() != null) networks.add(RiskScorer.asnKey(s.place().asn()));
        Place p = s.place();
        history.recordSignIn(c.userId(), c.deviceHash(), networks, p.country(),
                new LastSignIn(c.now(), p.country(), p.city(), p.latitude(), p.longitude()), policy.historySize());
    }

    /**
     * A sign-in from an IP on the deny list, before any credential is looked at: DENY whoever it claims to be (no
     * password is hashed for it, and the answer says nothing about the account). Empty for any other IP.
     */
    public Optional<Assessment> denyListed(String ip) {
        return (ip == null ? Optional.<InetAddress>empty() : IpLiteral.parse(ip)).flatMap(denyList::match)
                .map(network -> RiskScorer.denyListedOnly(network, policy));
    }

    /** Whether the user signed in from the device whose id hashes to {@code deviceHash} before (false for null). */
    public boolean knowsDevice(String userId, String deviceHash) {
        return deviceHash != null && history.find(userId).devices().contains(deviceHash);
    }

    /** Where {@code ip} is, for people to read (the session list); {@link Place#UNKNOWN} without GeoIP or for a non-IP. */
    public Place place(String ip) {
        return ip == null ? Place.UNKNOWN : IpLiteral.parse(ip).map(geo::locate).orElse(Place.UNKNOWN);
    }

    /** The signals of a sign-in: what {@link RiskScorer} sees. */
    public Signals signals(SignInContext c) {
        Optional<InetAddress> address = IpLiteral.parse(c.ip());
        return new Signals(c.now(), address.map(NetworkPrefix::of).orElse(null), address.map(geo::locate).orElse(Place.UNKNOWN),
                address.flatMap(denyList::match).orElse(null), c.deviceHash(), UserAgentFamily.of(c.userAgent()),
                c.accountFailures(), c.ipFailures());
    }

    private FamilyHistory.Use use(String ip, String userAgent) {
        Optional<InetAddress> address = ip == null ? Optional.empty() : IpLiteral.parse(ip);
        return new FamilyHistory.Use(address.map(NetworkPrefix::of).orElse(null), address.map(geo::locate).orElse(Place.UNKNOWN),
                userAgent == null ? null : UserAgentFamily.of(userAgent));
    }
}
