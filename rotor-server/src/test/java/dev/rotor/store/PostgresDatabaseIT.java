package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.config.DatabaseConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transactions, failures and bounded waits of {@link PostgresDatabase} on a real server. */
class PostgresDatabaseIT {
    private static final String PASSWORD = "hunter2-secret";

    private PostgresFixture pg;
    private PostgresDatabase db;

    @BeforeEach
    void open() {
        pg = PostgresFixture.create();
        db = pg.open();
        db.write(tx -> tx.update("CREATE TABLE scratch (k INTEGER PRIMARY KEY, v BYTEA NOT NULL)"));
    }

    @AfterEach
    void close() {
        if (pg != null) pg.close();
    }

    private int count() {
        return db.read(tx -> Rows.one(tx.prepare("SELECT count(*) FROM scratch"), rs -> rs.getInt(1)));
    }

    private static String show(Tx tx, String setting) throws SQLException {
        return Rows.one(tx.prepare("SHOW " + setting), rs -> rs.getString(1));
    }

    @Test
    void concurrentWritesAllCommitAndEachCallerGetsItsOwnResult() throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 500; i++) {
                int k = i;
                results.add(callers.submit(() -> db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, ?)", k, new byte[16]) * k)));
            }
        }

        for (int i = 0; i < results.size(); i++) assertThat(results.get(i).get()).isEqualTo(i);
        assertThat(count()).isEqualTo(500);
    }

    @Test
    void writeWhenWorkThrowsThenRolledBackAndTheExceptionReachesTheCallerAsItIs() {
        assertThatThrownBy(() -> db.write(tx -> {
            tx.update("INSERT INTO scratch (k, v) VALUES (1, '\\x00')");
            throw new IllegalArgumentException("refused");
        })).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("refused");

        assertThat(count()).isZero();
    }

    @Test
    void writeWhenStatementFailsThenStoreExceptionAndNothingCommitted() {
        assertThatThrownBy(() -> db.write(tx -> {
            tx.update("INSERT INTO scratch (k, v) VALUES (1, '\\x00')");
            return tx.update("INSERT INTO scratch (k, v) VALUES (1, '\\x00')");
        })).isInstanceOf(StoreException.class).hasMessageContaining("23505")
                .satisfies(e -> assertThat(((StoreException) e).conflict()).isFalse());

        assertThat(count()).isZero();
        int inserted = db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (1, '\\x00')"));
        assertThat(inserted).as("the connection is usable again").isEqualTo(1);
    }

    @Test
    void readWhenStatementFailsThenStoreException() {
        assertThatThrownBy(() -> db.read(tx -> tx.prepare("SELECT nope FROM scratch").executeQuery()))
                .isInstanceOf(StoreException.class).hasMessageContaining("42703");
        assertThat(db.ping()).isTrue();
    }

    @Test
    void writeWhenDeadlockedThenOneLosesAsAConflictAndTheOtherCommits() throws Exception {
        db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (1, '\\x00'), (2, '\\x00')"));
        CyclicBarrier bothLocked = new CyclicBarrier(2);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
            for (int[] order : new int[][] {{1, 2}, {2, 1}}) {
                results.add(callers.submit(() -> db.write(tx -> {
                    tx.update("UPDATE scratch SET v = '\\x01' WHERE k = ?", order[0]);
                    await(bothLocked);
                    return tx.update("UPDATE scratch SET v = '\\x01' WHERE k = ?", order[1]);
                })));
            }
        }

        List<Throwable> failures = new ArrayList<>();
        int committed = 0;
        for (Future<Integer> r : results) {
            try {
                committed += r.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        assertThat(committed).isEqualTo(1);
        assertThat(failures).singleElement().isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).conflict()).isTrue())
                .satisfies(e -> assertThat(e).hasMessageContaining("40P01"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void connectionsCarryTheBoundedWaitsByDefault() {
        db.read(tx -> {
            assertThat(show(tx, "statement_timeout")).isEqualTo("10s");
            assertThat(show(tx, "idle_in_transaction_session_timeout")).isEqualTo("1min");
            assertThat(show(tx, "application_name")).isEqualTo("rotor");
            assertThat(tx.prepare("SELECT 1").getConnection().getNetworkTimeout()).isEqualTo(30_000);
            return null;
        });
    }

    @Test
    void settingsInTheUrlWinOverTheDefaults() {
        PostgresDatabase custom = pg.open(DatabaseConfig.parse(pg.url() + "?options=-c%20statement_timeout%3D1234&socketTimeout=7",
                Path.of("."), 2));

        custom.read(tx -> {
            assertThat(show(tx, "statement_timeout")).isEqualTo("1234ms");
            assertThat(tx.prepare("SELECT 1").getConnection().getNetworkTimeout()).isEqualTo(7_000);
            return null;
        });
    }

    @Test
    void migrationsRunWithoutStatementTimeoutButWithALongSocketTimeout() throws SQLException {
        try (var migrations = PostgresDatabase.migrationPool(pg.config(1)); Connection c = migrations.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0");
            assertThat(c.getNetworkTimeout()).isEqualTo((int) PostgresDatabase.MIGRATION_SOCKET_TIMEOUT.toMillis());
        }
    }

    @Test
    void statementLongerThanTheStatementTimeoutFailsCleanlyAndThePoolGoesOn() {
        PostgresDatabase custom = pg.open(DatabaseConfig.parse(pg.url() + "?options=-c%20statement_timeout%3D300", Path.of("."), 1));
        long start = System.nanoTime();

        assertThatThrownBy(() -> custom.read(tx -> tx.prepare("SELECT pg_sleep(20)").executeQuery()))
                .isInstanceOf(StoreException.class).hasMessageContaining("57014");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(custom.ping()).isTrue();
    }

    @Test
    void whenEveryConnectionIsBusyThenAnotherCallFailsAfterThePoolWaitInsteadOfHanging() throws Exception {
        PostgresDatabase one = pg.open(pg.config(1));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService holder = Executors.newSingleThreadExecutor()) {
            holder.submit(() -> one.write(tx -> {
                holding.countDown();
                await(release);
                return null;
            }));
            holding.await();
            long start = System.nanoTime();
            try {
                assertThatThrownBy(() -> one.read(tx -> null)).isInstanceOf(StoreException.class);

                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(waited).isBetween(PostgresDatabase.POOL_WAIT.minusMillis(500), PostgresDatabase.POOL_WAIT.plusSeconds(3));
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void openWhenNothingListensThenStoreExceptionNamingTheSettingWithoutThePassword() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DatabaseConfig config = DatabaseConfig.parse("postgresql://rotor:" + PASSWORD + "@127.0.0.1:" + port + "/rotor", Path.of("."), 2);

        assertThatThrownBy(() -> PostgresDatabase.open(config))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("postgresql://rotor:***@127.0.0.1:" + port + "/rotor")
                .hasMessageContaining("ROTOR_DB")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the login timeout it would hang
    void openWhenTheServerAcceptsButNeverAnswersThenStoreExceptionWithinTheLoginTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (IOException closed) {
                    // test over
                }
            });
            DatabaseConfig config = DatabaseConfig.parse("postgresql://rotor@127.0.0.1:" + silent.getLocalPort() + "/rotor", Path.of("."), 2);
            long start = System.nanoTime();

            assertThatThrownBy(() -> PostgresDatabase.open(config)).isInstanceOf(StoreException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PostgresDatabase.LOGIN_TIMEOUT.plusSeconds(5));
            acceptor.interrupt();
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void whenTheNetworkGoesSilentMidRunThenCallsFailWithinTheSocketTimeout() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(5432)) {
            String url = pg.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port());
            PostgresDatabase viaProxy = pg.open(DatabaseConfig.parse(url + "?socketTimeout=2", Path.of("."), 1));
            assertThat(viaProxy.ping()).isTrue();
            proxy.freeze();
            long start = System.nanoTime();

            assertThatThrownBy(() -> viaProxy.read(tx -> Rows.one(tx.prepare("SELECT 1"), rs -> rs.getInt(1))))
                    .isInstanceOf(StoreException.class);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2 + 8));
        }
    }

    @Test
    void reopeningAMigratedDatabaseMigratesNothing() throws SQLException {
        pg.open().close();
        try (Connection c = pg.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE success) FROM flyway_schema_history WHERE version IS NOT NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2)).isGreaterThanOrEqualTo(2);
        }
    }

    /** A TCP relay to a local port that can stop relaying, as a network partition would. */
    private static final class FreezingProxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new ArrayList<>();
        private volatile boolean frozen;

        FreezingProxy(int target) throws IOException {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (true) {
                        Socket client = server.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(upstream);
                        }
                        relay(client.getInputStream(), upstream.getOutputStream());
                        relay(upstream.getInputStream(), client.getOutputStream());
                    }
                } catch (IOException closed) {
                    // proxy closed
                }
            });
        }

        private void relay(InputStream in, OutputStream out) {
            Thread.ofPlatform().daemon(true).start(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        while (frozen) Thread.sleep(50);
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException closed) {
                    // connection closed
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void freeze() {
            frozen = true;
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (sockets) {
                for (Socket s : sockets) s.close();
            }
        }
    }
}
