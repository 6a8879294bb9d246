package dev.rotor.risk.source;

import dev.rotor.config.Cidr;
import dev.rotor.config.ConfigException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP addresses that are refused whatever else the risk engine sees: the networks listed in the file
 * {@code ROTOR_DENY_IPS}, one CIDR or address a line ({@code 198.51.100.0/24}, {@code 2001:db8::/32},
 * {@code 203.0.113.9}); {@code #} starts a comment, blank lines are ignored.
 *
 * <p>A bad line stops start-up ({@link #load}), naming the file and the line. After start-up the file is polled
 * ({@link #watch}): when its modification time or size changes it is read again, and the new list replaces the old
 * one at once for every thread. A file that has become unreadable or invalid keeps the last good list in force and
 * logs a warning, so a half-saved edit never opens the door. A change that keeps both the size and the modification
 * time (rare, but some tools preserve the time) is not seen: touch the file.
 *
 * <p>Lookups cost one hash probe per distinct prefix length in the list, not one comparison per line.
 */
public final class DenyList implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DenyList.class);
    /** The setting that names the file, for messages. */
    private static final String SETTING = "ROTOR_DENY_IPS";

    private final Path file;
    private final AtomicReference<Loaded> current;
    private ScheduledExecutorService poller;

    /** One reading of the file: the networks, by prefix length, and what the file looked like when read. */
    private record Loaded(Networks networks, FileTime modified, long size) {}

    private DenyList(Path file, Loaded loaded) {
        this.file = file;
        this.current = new AtomicReference<>(loaded);
    }

    /** An empty list that never changes: what runs when {@code ROTOR_DENY_IPS} is not set. */
    public static DenyList empty() {
        return new DenyList(null, new Loaded(Networks.of(List.of()), null, -1));
    }

    /**
     * Reads {@code file} once.
     *
     * @throws ConfigException naming the setting, the file and (for a bad line) the line number
     */
    public static DenyList load(Path file) {
        try {
            return new DenyList(file, read(file));
        } catch (IOException e) {
            throw new ConfigException(SETTING + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The listed network {@code address} is in, if any. */
    public Optional<Cidr> match(InetAddress address) {
        return current.get().networks.match(address);
    }

    /** How many networks are in force (for the start-up log line and tests). */
    public int size() {
        return current.get().networks.count;
    }

    /**
     * Reads the file again if its modification time or size changed since the last reading.
     *
     * @return true when a new list is now in force; false when nothing changed, or when the file could not be read or
     *         was invalid (the last good list stays, and a warning is logged)
     */
    public boolean reloadIfChanged() {
        if (file == null) return false;
        Loaded before = current.get();
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.lastModifiedTime().equals(before.modified) && a.size() == before.size) return false;
            Loaded loaded = read(file);
            current.set(loaded);
            LOG.info("{}: reloaded {}, {} networks", SETTING, file, loaded.networks.count);
            return true;
        } catch (IOException | ConfigException e) {
            LOG.warn("{}: keeping the last good list ({} networks): {}", SETTING, before.networks.count, e.getMessage());
            return false;
        }
    }

    /** Polls the file every {@code period} on a daemon thread until {@link #close()}. A no-op for {@link #empty()}. */
    public synchronized DenyList watch(Duration period) {
        if (file == null || poller != null) return this;
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("rotor-deny-list").daemon(true).unstarted(r));
        poller.scheduleWithFixedDelay(this::reloadIfChanged, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized void close() {
        if (poller != null) poller.shutdownNow();
    }

    private static Loaded read(Path file) throws IOException {
        // Attributes first: a write landing between the two reads is then seen again at the next poll.
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Cidr> networks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (text.isEmpty()) continue;
            try {
                networks.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(SETTING + ": " + file + " line " + (i + 1) + ": '" + text + "' is not a CIDR: " + e.getMessage());
            }
        }
        return new Loaded(Networks.of(networks), a.lastModifiedTime(), a.size());
    }

    /** The networks keyed by their zeroed network address per prefix length, IPv4 and IPv6 apart. */
    private record Networks(Set<Cidr> set, int[] v4Prefixes, int[] v6Prefixes, int count) {
        static Networks of(List<Cidr> list) {
            Set<Cidr> set = new HashSet<>();
            TreeSet<Integer> v4 = new TreeSet<>();
            TreeSet<Integer> v6 = new TreeSet<>();
            for (Cidr c : list) {
                set.add(masked(c.network(), c.prefix()));
                (c.network().length == 4 ? v4 : v6).add(c.prefix());
            }
            return new Networks(Set.copyOf(set), v4.stream().mapToInt(Integer::intValue).toArray(),
                    v6.stream().mapToInt(Integer::intValue).toArray(), set.size());
        }

        Optional<Cidr> match(InetAddress address) {
            byte[] bytes = address.getAddress();
            // Shortest prefix first: the broadest listed network that holds the address is the one named.
            for (int prefix : address instanceof Inet4Address ? v4Prefixes : v6Prefixes) {
                Cidr candidate = masked(bytes, prefix);
                if (set.contains(candidate)) return Optional.of(candidate);
            }
            return Optional.empty();
        }

        private static Cidr masked(byte[] address, int prefix) {
            byte[] network = Arrays.copyOf(address, address.length);
            for (int bit = prefix; bit < network.length * 8; bit++) network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            return new Cidr(network, prefix);
        }
    }
}
