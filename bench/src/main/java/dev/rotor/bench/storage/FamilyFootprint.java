package dev.rotor.bench.storage;

import dev.rotor.account.User;
import dev.rotor.audit.AuditEvent;
import dev.rotor.oauth.Client;
import dev.rotor.session.FamilyChange;
import dev.rotor.session.RefreshTokenFamily;
import dev.rotor.session.TokenUse;
import dev.rotor.config.DatabaseConfig;
import dev.rotor.store.Database;
import dev.rotor.store.JdbcClientStore;
import dev.rotor.store.JdbcRefreshTokenStore;
import dev.rotor.store.JdbcUserStore;
import dev.rotor.store.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bytes a refresh-token family costs in the database after a number of rotations: F families are created and each
 * rotated N times through the production store (one in 50 rotations from a new network, as a phone moving between
 * Wi-Fi and mobile data would), then the space of every table and index the families live in is read from the
 * database itself (SQLite's dbstat; PostgreSQL's pg_total_relation_size) and divided by F, less the same tables
 * holding no family.
 *
 * <pre>java -cp "bench/target/rotor-bench.jar:bench/target/lib/*" dev.rotor.bench.storage.FamilyFootprint [DIR] [POSTGRESQL-URL]</pre>
 *
 * With a PostgreSQL URL (an empty database) the same runs go there, one after the other; each measures only what
 * it adds, after {@code VACUUM FULL} (so dead row versions left by updates are not counted: autovacuum reclaims them
 * for reuse in steady state).
 */
public final class FamilyFootprint {
    private static final List<String> TABLES = List.of("sessions", "refresh_token_uses", "refresh_tokens");

    private FamilyFootprint() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "rotor-footprint");
        System.out.printf("%-10s %-9s %-14s %-14s%n", "rotations", "families", "bytes/family", "use rows/family");
        if (args.length > 1) {
            try (Database db = Database.open(DatabaseConfig.parse(args[1], dir, 40))) {
                for (int[] run : new int[][] {{1, 2000}, {100, 2000}, {10_000, 20}}) measure(db, run[0], run[1]);
            }
            return;
        }
        for (int[] run : new int[][] {{1, 2000}, {100, 2000}, {10_000, 40}}) {
            Path file = dir.resolve("footprint-" + run[0] + ".db");
            try (SqliteDatabase db = SqliteDatabase.open("jdbc:sqlite:" + file)) {
                measure(db, run[0], run[1]);
            }
        }
    }

    static void measure(Database db, int rotations, int families) throws Exception {
        String user = "u-" + UUID.randomUUID();
        String client = "footprint-" + rotations;
        new JdbcUserStore(db).add(new User(user, user, null, null, null, false, Instant.now()));
        new JdbcClientStore(db).add(new Client(client, Client.Type.PUBLIC, null, List.of(), Set.of("refresh_token"), Set.of(), false,
                "openid profile email offline_access", Instant.now(), Set.of()));
        long empty = bytes(db);
        long usesBefore = useRows(db);
        JdbcRefreshTokenStore store = new JdbcRefreshTokenStore(db);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < families; i++) {
                work.add(pool.submit(() -> {
                    Instant now = Instant.now();
                    RefreshTokenFamily f = new RefreshTokenFamily(UUID.randomUUID().toString(), user, client,
                            "openid profile email offline_access", now, now.plus(Duration.ofDays(7)), now, now, List.of("pwd"), "1",
                            "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "203.0.113.7",
                            "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", 0, null, null, RefreshTokenFamily.Channel.COOKIE, null, null, null, null);
                    store.create(f, AuditEvent.of(now, "session.created", user, f.id(), client, null, Map.of()));
                    for (int r = 0; r < rotations; r++) {
                        String ip = (r / 50) % 2 == 0 ? "203.0.113.7" : "198.51.100.23";
                        boolean changed = !ip.equals(f.lastIp());
                        RefreshTokenFamily next = f.rotated(now.plusMillis(r + 1), ip, f.lastUserAgent());
                        if (!store.apply(new FamilyChange.Rotate(f.generation(), next,
                                new TokenUse(f.generation(), next.lastUsedAt(), ip, f.lastUserAgent(), changed), 8, 32))) {
                            throw new IllegalStateException("rotation lost");
                        }
                        f = next;
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) f.get();
        } finally {
            pool.shutdownNow();
        }
        long full = bytes(db);
        long uses = useRows(db) - usesBefore;
        System.out.printf("%-10d %-9d %-14d %-14.1f%n", rotations, families, (full - empty) / families, (double) uses / families);
    }

    private static long useRows(Database db) {
        return db.read(tx -> {
            try (ResultSet rs = tx.prepare("SELECT COUNT(*) FROM refresh_token_uses").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Bytes of every table and index the families live in. */
    static long bytes(Database db) {
        if (db.vendor() == Database.Vendor.POSTGRESQL) {
            db.read(tx -> tx.prepare("VACUUM FULL sessions, refresh_token_uses, refresh_tokens").execute());
        }
        return db.read(tx -> {
            String sql = db.vendor() == Database.Vendor.SQLITE
                    ? "SELECT COALESCE(SUM(d.pgsize), 0) FROM dbstat d JOIN sqlite_master m ON m.name = d.name WHERE m.tbl_name IN (" + inList() + ")"
                    : "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relname IN (" + inList() + ") "
                    + "AND c.relnamespace = to_regnamespace(current_schema())";
            try (ResultSet rs = tx.prepare(sql).executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String inList() {
        return String.join(", ", TABLES.stream().map(t -> "'" + t + "'").toList());
    }
}
