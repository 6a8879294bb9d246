package dev.rotor.bench.jmh;

import dev.rotor.risk.Assessment;
import dev.rotor.risk.RefreshContext;
import dev.rotor.risk.RiskEngine;
import dev.rotor.risk.RiskHistory;
import dev.rotor.risk.RiskHistoryStore;
import dev.rotor.risk.RiskPolicy;
import dev.rotor.risk.source.DenyList;
import dev.rotor.risk.source.GeoIp;
import dev.rotor.risk.source.MaxMindGeoIp;
import dev.rotor.risk.source.Place;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The risk check a refresh will pay before its rotation: {@code RiskEngine.assessRefresh} (three GeoIP lookups, a
 * deny-list probe, the scorer), to set beside {@link RefreshTokenBenchmark} and {@link RotationCommitBenchmark} for the
 * "at most 10 % of a refresh" budget. It reads no history store (a refresh is scored against its family).
 *
 * <p>{@code geo}: {@code none} (no GeoIP database configured), {@code fixed} (a lookup that returns one place: the
 * engine's own cost), or {@code mmdb} (MaxMind's reader on the file {@code -Dbench.geoip=FILE}, e.g. a GeoLite2-City
 * database; skipped without it). The deny list holds {@code -Dbench.denyCidrs} networks (default 10,000) of mixed
 * prefix lengths.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class RiskRefreshBenchmark {
    @Param({"none", "fixed", "mmdb"})
    String geo;

    private RiskEngine engine;
    private DenyList denyList;
    private MaxMindGeoIp maxMind;
    private Path denyFile;
    private RefreshContext sameNetwork;
    private RefreshContext otherCountryAndBrowser;

    @Setup
    public void setup() throws IOException {
        GeoIp lookup = switch (geo) {
            case "none" -> GeoIp.NONE;
            case "fixed" -> address -> new Place("DE", "Berlin", 52.52, 13.405, 64501L);
            case "mmdb" -> {
                String file = System.getProperty("bench.geoip");
                if (file == null) throw new IllegalStateException("geo=mmdb needs -Dbench.geoip=FILE (a .mmdb); run with -p geo=none,fixed otherwise");
                maxMind = MaxMindGeoIp.open(Path.of(file));
                yield maxMind;
            }
            default -> throw new IllegalArgumentException(geo);
        };
        denyFile = Files.createTempFile("rotor-bench-deny", ".txt");
        StringBuilder cidrs = new StringBuilder();
        int n = Integer.getInteger("bench.denyCidrs", 10_000);
        for (int i = 0; i < n; i++) {
            cidrs.append(10 + i % 200).append('.').append((i / 200) % 256).append(".0.0/").append(16 + i % 9).append('\n');
        }
        Files.writeString(denyFile, cidrs);
        denyList = DenyList.load(denyFile);
        engine = new RiskEngine(RiskPolicy.defaults(), lookup, denyList, new NoHistory());
        Instant now = Instant.parse("2026-12-03T12:00:00Z");
        String chrome = "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
        sameNetwork = new RefreshContext("u1", "f1", "203.0.113.9", chrome, "device-1", "203.0.113.7", chrome, "203.0.113.8", chrome,
                "device-1", true, now);
        otherCountryAndBrowser = new RefreshContext("u1", "f1", "2001:db8:1:2::99", "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
                "device-2", "203.0.113.7", chrome, "198.51.100.8", chrome, "device-1", true, now);
    }

    @TearDown
    public void tearDown() throws IOException {
        denyList.close();
        if (maxMind != null) maxMind.close();
        Files.deleteIfExists(denyFile);
    }

    @Benchmark
    public Assessment refreshFromTheSessionsNetwork() {
        return engine.assessRefresh(sameNetwork);
    }

    @Benchmark
    public Assessment refreshFromElsewhere() {
        return engine.assessRefresh(otherCountryAndBrowser);
    }

    /** A refresh reads no history; this store says so loudly if that changes. */
    private static final class NoHistory implements RiskHistoryStore {
        @Override
        public RiskHistory find(String userId) {
            throw new IllegalStateException("assessRefresh read the history store");
        }

        @Override
        public void recordSignIn(String userId, String deviceHash, List<String> networks, String country, RiskHistory.LastSignIn last, int keep) {
            throw new IllegalStateException("assessRefresh wrote the history store");
        }

        @Override
        public void forget(String userId) {
            throw new IllegalStateException("assessRefresh wrote the history store");
        }
    }
}
