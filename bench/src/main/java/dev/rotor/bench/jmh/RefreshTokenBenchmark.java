package dev.rotor.bench.jmh;

import dev.rotor.crypto.Sealer;
import dev.rotor.session.RefreshTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
 * The per-refresh token work outside the database: hashing the presented token, generating the successor
 * (CSPRNG + hash) and sealing it for the grace window.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RefreshTokenBenchmark {
    @Param({"native", "jdk"})
    String provider;

    private SecureRandom random;
    private Sealer sealer;
    private String presented;
    private byte[] successor;
    private byte[] aad;

    @Setup
    public void setup() {
        Providers.use(provider);
        random = new SecureRandom();
        sealer = new Sealer(new byte[32], random);
        presented = RefreshTokens.generate(random).plaintext();
        successor = presented.getBytes(StandardCharsets.US_ASCII);
        aad = ("rotor-grace:" + RefreshTokens.hash(presented)).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public String hashPresented() {
        return RefreshTokens.hash(presented);
    }

    @Benchmark
    public RefreshTokens.NewToken generateSuccessor() {
        return RefreshTokens.generate(random);
    }

    @Benchmark
    public byte[] sealSuccessor() {
        return sealer.seal(successor, aad);
    }
}
