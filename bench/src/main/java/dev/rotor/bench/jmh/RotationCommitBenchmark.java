package dev.rotor.bench.jmh;

import dev.rotor.audit.RequestInfo;
import dev.rotor.crypto.CryptoProviders;
import dev.rotor.oauth.Client;
import dev.rotor.session.RefreshTokenCodec;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.RotationOutcome;
import dev.rotor.session.Sessions;
import dev.rotor.store.JdbcClientStore;
import dev.rotor.store.JdbcRefreshTokenStore;
import dev.rotor.store.JdbcUserStore;
import dev.rotor.store.SqliteDatabase;
import dev.rotor.account.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One durable rotation (conditional UPDATE + INSERT + family touch, WAL with synchronous=FULL) through the
 * group-commit writer, without HTTP or signing. Run with {@code -t 1} for the one-thread cost and {@code -t 64}
 * to see what sharing one fsync among concurrent rotations buys. Each JMH thread owns one rotation chain.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RotationCommitBenchmark {

    @State(Scope.Benchmark)
    public static class Db {
        Path dir;
        SqliteDatabase db;
        Sessions sessions;
        String userId;

        @Setup(Level.Trial)
        public void open() throws IOException {
            System.out.println("crypto: " + CryptoProviders.install());
            dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", ".")).toAbsolutePath(), "rotor-jmh");
            db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
            userId = "u-bench";
            new JdbcUserStore(db).add(new User(userId, "bench", null, null, null, false, Instant.now()));
            new JdbcClientStore(db).add(new Client("bench", Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(), false,
                    "openid", Instant.now(), Set.of()));
            byte[] macKey = new byte[32];
            new SecureRandom().nextBytes(macKey);
            sessions = new Sessions(new JdbcRefreshTokenStore(db), new RefreshTokenCodec(macKey), Clock.systemUTC(),
                    Duration.ofDays(7), Duration.ofDays(7), Duration.ofHours(1));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            db.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @State(Scope.Thread)
    public static class Chain {
        String latest;
        final RequestInfo request = new RequestInfo("127.0.0.1", "jmh");

        @Setup(Level.Trial)
        public void signIn(Db db) {
            latest = db.sessions.start(db.userId, "bench", "openid", List.of("pwd"), "1", RefreshTokenFamily.Channel.TOKEN_ENDPOINT,
                    request).refreshToken();
        }
    }

    @Benchmark
    public Object rotate(Db db, Chain chain) {
        RotationOutcome outcome = db.sessions.refresh(chain.latest, "bench", RefreshTokenFamily.Channel.TOKEN_ENDPOINT, chain.request);
        if (!(outcome instanceof RotationOutcome.Rotated r)) throw new IllegalStateException("chain broke: " + outcome);
        chain.latest = db.sessions.refreshToken(r.family());
        return r;
    }
}
