package dev.rotor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
     * the writer's hand-over lets SQLite start the log again. Without it, the log would hold every frame written
     * (the writer's own automatic checkpoint waits for 65536 frames).
     */
    @Test
    void checkpointerKeepsTheLogShortUnderContinuousWrites() throws Exception {
        db.startCheckpointer(64, Duration.ofMillis(5));
        AtomicLong largestLog = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        Path wal = dir.resolve("rotor.db-wal");
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                largestLog.accumulateAndGet(sizeOf(wal), Math::max);
                Thread.onSpinWait();
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
        watcher.join();

        long written = (long) rows * PAGE; // at least one overflow page per row went through the log
        assertThat(largestLog.get()).as("largest log (bytes) while %d bytes were written", written).isLessThan(written / 4);
        assertThat(count()).isEqualTo(rows);
        assertThat(db.integrityCheck()).isEqualTo("ok");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0; // between SQLite's truncate and rewrite
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
