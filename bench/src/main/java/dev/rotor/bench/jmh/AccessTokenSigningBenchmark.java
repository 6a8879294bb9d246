package dev.rotor.bench.jmh;

import dev.rotor.crypto.Sealer;
import dev.rotor.token.AccessTokenRequest;
import dev.rotor.token.AccessTokens;
import dev.rotor.token.KeyRing;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issuing one access token exactly as the server does (claims, JWS header, signature, serialization), per
 * algorithm. {@code provider=native} installs the native provider the server uses; {@code jdk} runs with the JDK's
 * own, which is the fallback when the native one does not load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AccessTokenSigningBenchmark {
    @Param({"ES256", "RS256", "EdDSA"})
    String alg;

    @Param({"native", "jdk"})
    String provider;

    private AccessTokens tokens;
    private AccessTokenRequest request;

    @Setup
    public void setup() {
        Providers.use(provider);
        SecureRandom random = new SecureRandom();
        Sealer sealer = new Sealer(new byte[32], random);
        KeyRing ring = new KeyRing(new MemorySigningKeys(), sealer, Clock.systemUTC(), alg, Duration.ofMinutes(15), Duration.ZERO);
        ring.start();
        tokens = new AccessTokens(ring, Clock.systemUTC(), random, "https://auth.example.com", "https://api.example.com", Duration.ofMinutes(15));
        request = new AccessTokenRequest("5f0c8a9e-3b7d-4c1e-9a2f-6d8e1b3c5a70", "spa", "openid profile email", "0d4c7a2e-9f1b-4e3c-8a5d-2b6f9c1e7d30",
                Instant.now(), List.of("pwd"), "1", Map.of());
    }

    @Benchmark
    public String issue() {
        return tokens.issue(request).value();
    }
}
