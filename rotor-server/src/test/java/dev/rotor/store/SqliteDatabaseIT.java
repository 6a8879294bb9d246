package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer, the readers and the checkpointer of {@link SqliteDatabase} on a real file. */
class SqliteDatabaseIT {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private SqliteDatabase db;

    @BeforeEach
    void open() {
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db"));
        db.write(tx -> tx.update("CREATE TABLE scratch (k INTEGER PRIMARY KEY, v BLOB NOT NULL)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void concurrentWritesAllCommitAndEachCallerGetsItsOwnResult() throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2000; i++) {
                int k = i;
                results.add(callers.submit(() -> db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, ?)", k, new byte[16]) * k)));
            }
        }

        for (int i = 0; i < results.size(); i++) assertThat(results.get(i).get()).isEqualTo(i);
        assertThat(count()).isEqualTo(2000);
    }

    @Test
    void aFailingWriteFailsOnlyItsOwnCaller() throws Exception {
        db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (0, x'00')"));
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 1; i <= 1000; i++) {
                int k = i % 10 == 0 ? 0 : i; // every tenth repeats the primary key 0
                results.add(callers.submit(() -> db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, x'00')", k))));
            }
        }

        for (int i = 1; i <= 1000; i++) {
            Future<Integer> r = results.get(i - 1);
            if (i % 10 == 0) {
                assertThatThrownBy(r::get).hasCauseInstanceOf(StoreException.class);
            } else {
                assertThat(r.get()).isEqualTo(1);
            }
        }
        assertThat(count()).isEqualTo(1 + 900);
    }

    /**
     * Under a steady stream of commits a PASSIVE checkpoint beside the writer never copies the last frames, so only
     * the writer's hand-over lets SQLite start the log again; without it the log would hold every frame written (the
     * writer's own automatic checkpoint waits for 65536 frames, about 13,000 are written here). A reader keeps looking
     * rows up meanwhile, as requests do; its snapshots may defer a restart. How long the log gets between restarts
     * depends on how the threads are scheduled (400-1,000 frames here on an idle machine, up to 2,200 with six busy
     * loops beside it), so the test holds the checkpointer to restarting the log, not to a size; the size under load
     * is a figure for the benchmarks (BENCHMARKS.md, "The C=64 tail"). Restarts seen: 42-67, none without the
     * checkpointer or without the writer's hand-over.
     */
    @Test
    void checkpointerRestartsTheLogUnderContinuousWritesAndReadsAndOnceWritesPause() throws Exception {
        db.startCheckpointer(64, Duration.ofMillis(5));
        long restartsBefore = logRestarts();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int k = 0; writing.get(); k = (k + 7) % 1000) {
                int key = k;
                db.read(tx -> {
                    try (var ps = tx.prepare("SELECT length(v) FROM scratch WHERE k = ?")) {
                        ps.setInt(1, key);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next();
                        }
                    }
                });
            }
        });

        // Eight callers, each waiting for its commit before the next write: many small commits, as under load.
        int callers = 8;
        int perCaller = 500;
        int rows = callers * perCaller;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                int first = c * perCaller;
                pool.submit(() -> {
                    for (int k = first; k < first + perCaller; k++) {
                        int key = k;
                        db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, ?)", key, new byte[PAGE]));
                    }
                });
            }
        }
        writing.set(false);
        reader.join();
        long restartsUnderLoad = logRestarts() - restartsBefore;
        // The -wal file is reused, never shrunk, while the database is open: its size is the longest the log got.
        long largestLog = Files.size(dir.resolve("rotor.db-wal"));

        assertThat(restartsUnderLoad).as("log restarts while %d rows were written (largest log %d bytes)", rows, largestLog).isPositive();
        // Once writes pause, the checkpointer copies the whole log, and the next write starts it afresh.
        long restartsBeforePause = logRestarts();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (int k = rows; logRestarts() == restartsBeforePause && System.nanoTime() - deadline < 0; k++) {
            Thread.sleep(20);
            int key = k;
            db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, x'00')", key));
        }
        assertThat(logRestarts()).as("log restarts after writes paused, within 10 s").isGreaterThan(restartsBeforePause);
        assertThat(count()).isGreaterThan(rows);
        assertThat(db.integrityCheck()).isEqualTo("ok");
    }

    /**
     * The checkpoint sequence number in the WAL header (SQLite's file format, §4.1): the writer raises it each time it
     * starts the log again from its beginning. Read from the file, so that looking runs no checkpoint of its own.
     */
    private long logRestarts() throws IOException {
        byte[] header = new byte[16]; // of 32; big-endian, as SQLite writes it
        try (InputStream wal = Files.newInputStream(dir.resolve("rotor.db-wal"))) {
            assertThat(wal.readNBytes(header, 0, header.length)).as("WAL header").isEqualTo(header.length);
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt(12));
    }

    @Test
    void checkpointerStartsOnceAndNotAfterClose() {
        db.startCheckpointer(64, Duration.ofMillis(5));
        db.startCheckpointer(64, Duration.ofMillis(5));
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("rotor-db-checkpointer")).hasSize(1);

        db.close();

        assertThatThrownBy(() -> db.startCheckpointer(64, Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
        db = SqliteDatabase.open("jdbc:sqlite:" + dir.resolve("rotor.db")); // for close()
    }

    @Test
    void openMakesANewDirectory0700AndTheDatabaseAndItsWalAndShm0600() throws Exception {
        // Decisive under a permissive umask (surefire's is usually 022); CliIT runs the server under umask 022.
        Path data = dir.resolve("new/data");
        SqliteDatabase fresh = SqliteDatabase.open("jdbc:sqlite:" + data.resolve("rotor.db"));
        try {
            for (int i = 0; i < 50; i++) fresh.write(tx -> tx.update("INSERT INTO audit_events (at, type, detail) VALUES (0, 'x', '{}')"));
            assertThat(permissions(data)).isEqualTo("rwx------");
            assertThat(Files.list(data).map(p -> p.getFileName() + " " + permissions(p)).toList())
                    .containsExactlyInAnyOrder("rotor.db rw-------", "rotor.db-wal rw-------", "rotor.db-shm rw-------");
        } finally {
            fresh.close();
        }
    }

    @Test
    void openMakesADatabaseThatOthersMayReadPrivateAndSoTheWalAndShmSQLiteCreates() throws Exception {
        Path old = dir.resolve("old.db");
        Files.createFile(old);
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

        SqliteDatabase opened = SqliteDatabase.open("jdbc:sqlite:" + old);
        try {
            for (int i = 0; i < 50; i++) opened.write(tx -> tx.update("INSERT INTO audit_events (at, type, detail) VALUES (0, 'x', '{}')"));
            assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith("old.db")).map(p -> p.getFileName() + " " + permissions(p)).toList())
                    .containsExactlyInAnyOrder("old.db rw-------", "old.db-wal rw-------", "old.db-shm rw-------");
        } finally {
            opened.close();
        }
    }

    @Test
    void backupWhileWritesGoOnIsAConsistentPrivateCopyAndNeverOverwrites() throws Exception {
        db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (-1, x'01')"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            // Each transaction writes a pair; a consistent snapshot holds whole pairs only.
            for (int k = 0; !stop.get(); k += 2) {
                int first = k;
                db.write(tx -> tx.update("INSERT INTO scratch (k, v) VALUES (?, zeroblob(512))", first)
                        + tx.update("INSERT INTO scratch (k, v) VALUES (?, zeroblob(512))", first + 1));
            }
        });
        Path backup = dir.resolve("backup.db");
        int before;
        try {
            while (count() < 2000) Thread.sleep(10);
            before = count();
            db.backupTo(backup);
        } finally {
            stop.set(true);
            writer.join();
        }

        assertThat(permissions(backup)).isEqualTo("rw-------");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup"))).containsExactly("backup.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*), sum(k = -1) FROM scratch")) {
                rs.next();
                int rows = rs.getInt(1);
                assertThat(rs.getInt(2)).as("the row written before the backup").isEqualTo(1);
                assertThat((rows - 1) % 2).as("whole transactions only: %d rows", rows).isZero();
                assertThat(rows).isGreaterThanOrEqualTo(before);
            }
        }

        byte[] copy = Files.readAllBytes(backup);
        assertThatThrownBy(() -> db.backupTo(backup)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(backup)).isEqualTo(copy);
    }

    private static String permissions(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int count() {
        return db.read(tx -> {
            try (ResultSet rs = tx.prepare("SELECT count(*) FROM scratch").executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
