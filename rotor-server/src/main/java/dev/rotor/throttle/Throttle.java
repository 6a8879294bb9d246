package dev.rotor.throttle;

import dev.rotor.account.UsernameForms;
import dev.rotor.config.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Brute-force throttling of password sign-ins, per source address and per account, with exponential backoff, in the
 * database so that every node counts the same. It is asked before the password is hashed, so a refused attempt costs
 * one indexed read instead of an Argon2 hash.
 *
 * <p>The source is throttled first and hardest: an address (an IPv6 /64, which one host usually holds whole) gets
 * {@link Policy#sourceFreeFailures} failures per window, then waits {@link Policy#firstBlock}, doubling with each
 * further failure up to {@link Policy#maxBlock}. That stops credential stuffing (many accounts from one address)
 * and guessing from one address. An account gets more ({@link Policy#accountFreeFailures}), for password spraying
 * from many addresses; its block never applies to a device the account signed in from before, so its owner is not
 * locked out by someone else's guessing. Counters are kept for any username typed, existing or not, so a throttled
 * answer says nothing about whether the account exists.
 */
public final class Throttle {
    /**
     * @param window              how long failures are counted together; a counter older than this starts again
     * @param sourceFreeFailures  failures from one address per window before it must wait
     * @param accountFreeFailures failures on one account per window (from any address) before unknown devices must wait
     * @param firstBlock          the first wait; it doubles with each failure after that
     * @param maxBlock            the longest wait
     */
    public record Policy(Duration window, int sourceFreeFailures, int accountFreeFailures, Duration firstBlock, Duration maxBlock) {
        /**
         * 15 minutes; 10 failures from an address, 50 on an account; then 1 s doubling to 15 minutes. A person who
         * mistypes a few times never waits; a guesser from one address is down to about four tries an hour within
         * twenty failures.
         */
        public static final Policy DEFAULT = new Policy(Duration.ofMinutes(15), 10, 50, Duration.ofSeconds(1), Duration.ofMinutes(15));

        public Policy {
            if (window.isNegative() || window.isZero() || sourceFreeFailures < 0 || accountFreeFailures < 0 || firstBlock.isNegative()
                    || firstBlock.isZero() || maxBlock.compareTo(firstBlock) < 0) {
                throw new IllegalArgumentException("invalid throttling policy " + this);
            }
        }
    }

    /** What an attempt may do now. */
    public sealed interface Verdict {}

    /**
     * The attempt may go ahead. The failures counted in the current window are the risk engine's failed-attempt
     * velocity signals.
     */
    public record Allowed(int sourceFailures, int accountFailures) implements Verdict {}

    /** @param retryAfter how long until the next attempt may be made, at least one second */
    public record Throttled(Duration retryAfter) implements Verdict {}

    private final ThrottleStore store;
    private final Policy policy;
    private final Clock clock;

    public Throttle(ThrottleStore store, Policy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Whether a sign-in of {@code username} from {@code ip} may be tried now.
     *
     * @param knownDevice whether the attempt comes from a device this account signed in from before: the account's
     *                    block does not apply to it (the source's still does)
     */
    public Verdict check(String username, String ip, boolean knownDevice) {
        Instant now = clock.instant();
        Instant until = null;
        Instant cutoff = now.minus(policy.window());
        int source = 0;
        int account = 0;
        for (ThrottleStore.Counter c : store.find(keys(username, ip))) {
            if (!c.windowStart().isBefore(cutoff)) {
                if (c.key().startsWith(ACCOUNT)) account = c.failures();
                else source = c.failures();
            }
            if (c.blockedUntil() == null || !c.blockedUntil().isAfter(now)) continue;
            if (knownDevice && c.key().startsWith(ACCOUNT)) continue;
            if (until == null || c.blockedUntil().isAfter(until)) until = c.blockedUntil();
        }
        if (until == null) return new Allowed(source, account);
        Duration wait = Duration.between(now, until);
        // Retry-After is in whole seconds: rounded up, so an attempt at the time it names is allowed.
        return new Throttled(Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    /** A wrong password (or an unknown user, or a disabled account): counts against the source and the account. */
    public void failed(String username, String ip) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(policy.window());
        if (ip != null) block(store.recordFailure(sourceKey(ip), now, cutoff), policy.sourceFreeFailures(), now);
        if (username != null) block(store.recordFailure(accountKey(username), now, cutoff), policy.accountFreeFailures(), now);
    }

    /**
     * A right password: the source's counter is forgotten (a person who finally typed it right starts afresh); the
     * account's is not, since spraying from elsewhere goes on whether or not its owner signs in.
     */
    public void succeeded(String ip) {
        if (ip != null) store.clear(sourceKey(ip));
    }

    /** Housekeeping: counters that count nothing any more. */
    public int deleteStale() {
        Instant now = clock.instant();
        return store.deleteStale(now.minus(policy.window()), now);
    }

    /** {@code firstBlock} doubled for each failure past the free ones, at most {@code maxBlock}; zero within them. */
    Duration blockAfter(int failures, int free) {
        if (failures <= free) return Duration.ZERO;
        Duration wait = policy.firstBlock();
        for (int i = free + 1; i < failures && wait.compareTo(policy.maxBlock()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(policy.maxBlock()) > 0 ? policy.maxBlock() : wait;
    }

    private void block(ThrottleStore.Counter c, int free, Instant now) {
        Duration wait = blockAfter(c.failures(), free);
        if (!wait.isZero()) store.blockUntil(c.key(), now.plus(wait));
    }

    static final String SOURCE = "ip:";
    static final String ACCOUNT = "user:";

    private static List<String> keys(String username, String ip) {
        List<String> keys = new ArrayList<>(2);
        if (ip != null) keys.add(sourceKey(ip));
        if (username != null) keys.add(accountKey(username));
        return keys;
    }

    /** An IPv4 address whole; an IPv6 address by its /64, which one host or one home network usually holds whole. */
    static String sourceKey(String ip) {
        InetAddress a = IpLiteral.parse(ip).orElse(null);
        if (a == null) return SOURCE + ip.toLowerCase(Locale.ROOT);
        if (a instanceof Inet6Address) return SOURCE + HexFormat.of().formatHex(a.getAddress(), 0, 8) + "/64";
        return SOURCE + a.getHostAddress();
    }

    /** By the RFC 8265 form sign-in looks up, so that {@code Alice}, {@code ａｌｉｃｅ} and {@code alice} count together. */
    static String accountKey(String username) {
        return ACCOUNT + UsernameForms.keyIfValid(username).orElse(username.toLowerCase(Locale.ROOT));
    }
}
