package dev.rotor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded database: SQLite in WAL mode with synchronous=FULL (a commit is on disk before it is acknowledged),
 * schema by Flyway migrations, one group-commit writer and a small pool of readers (WAL lets them read while the
 * writer writes).
 */
public final class SqliteDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int READERS = 4;
    /** WAL frames (4 KiB pages) after which the log is started again from its beginning: about 64 MiB. */
    private static final long RESTART_FRAMES = 16384;
    /**
     * Between checkpoints. Shorter pauses copy pages that change often (B-tree interiors, index tails) more often
     * for nothing: at 50 ms the server spent 7% more CPU per rotation than at 250 ms.
     */
    private static final Duration CHECKPOINT_PAUSE = Duration.ofMillis(Long.getLong("rotor.checkpointPauseMillis", 250));
    /** Catch-up passes end when one had at most this many new frames; the writer copies what arrived since. */
    private static final long WRITER_SHARE_FRAMES = 256;
    private static final int MAX_CATCH_UP_PASSES = 8;
    /** The writer's own automatic checkpoint, a backstop should the checkpointer fall behind: about 256 MiB. */
    private static final int BACKSTOP_FRAMES = 65536;

    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final GroupCommitWriter writer;
    private final HikariDataSource readers;
    private final SQLiteDataSource files;
    private Thread checkpointer;
    /** Set by a write that failed for the database's sake, cleared by the next write that succeeds. */
    private volatile boolean writesFailing;
    private boolean closed;
    private final ThreadLocal<Tx> poolThreadTx = new ThreadLocal<>();
    private final java.util.List<Connection> poolThreadConnections = new java.util.ArrayList<>();
    private final java.util.concurrent.ExecutorService readPool = java.util.concurrent.Executors.newFixedThreadPool(READERS,
            Thread.ofPlatform().name("rotor-db-reader-", 0).daemon(true).factory());

    private SqliteDatabase(GroupCommitWriter writer, HikariDataSource readers, SQLiteDataSource files) {
        this.writer = writer;
        this.readers = readers;
        this.files = files;
    }

    /**
     * Opens (creating the file and its directory if needed) and migrates the database. The file is made 0600 before
     * SQLite opens it, whatever the umask: SQLite gives the {@code -wal} and {@code -shm} files it creates later the
     * database file's mode. A directory it creates is 0700.
     */
    public static SqliteDatabase open(String jdbcUrl) {
        try {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) makePrivate(Path.of(file).toAbsolutePath());
            SQLiteDataSource ds = dataSource(jdbcUrl);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL"); // persistent: set once, kept in the file
            }
            // Earlier builds ran these same files from db/migration; Flyway records names and checksums, not folders.
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/sqlite").load().migrate();
            Connection writerConnection = ds.getConnection();
            try (Statement s = writerConnection.createStatement()) {
                // Keep the B-tree pages a rotation touches in memory; checkpoints run beside the writer (see
                // startCheckpointer()), the writer's own automatic checkpoint is only a backstop.
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA wal_autocheckpoint = " + BACKSTOP_FRAMES);
            }
            GroupCommitWriter writer = new GroupCommitWriter(writerConnection, "rotor-db-writer");
            HikariConfig hc = new HikariConfig();
            hc.setDataSource(ds);
            hc.setMaximumPoolSize(READERS);
            hc.setMinimumIdle(1);
            hc.setPoolName("rotor-db-readers");
            return new SqliteDatabase(writer, new HikariDataSource(hc), ds);
        } catch (Exception e) {
            throw new StoreException("cannot open database " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * The database holds password hashes, sealed keys and personal data: only its owner may read it. Creates it
     * (and a missing directory) private; an existing file, or a {@code -wal} or {@code -shm} file left from before,
     * that others may read is made private, with a warning.
     */
    private static void makePrivate(Path db) throws IOException {
        Path parent = db.getParent();
        if (parent != null && !Files.isDirectory(parent)) Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        try {
            Files.createFile(db, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        } catch (FileAlreadyExistsException existing) {
            for (Path p : List.of(db, Path.of(db + "-wal"), Path.of(db + "-shm"))) {
                if (!Files.exists(p)) continue;
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (PRIVATE_FILE.containsAll(perms)) continue;
                try {
                    Files.setPosixFilePermissions(p, PRIVATE_FILE);
                    LOG.warn("{} was {}; made it {} (only its owner may read the database)", p, PosixFilePermissions.toString(perms),
                            PosixFilePermissions.toString(PRIVATE_FILE));
                } catch (IOException notOwner) {
                    LOG.warn("{} is {} and cannot be made private: {}", p, PosixFilePermissions.toString(perms), notOwner.toString());
                }
            }
        }
    }

    private static SQLiteDataSource dataSource(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000); // the CLI may hold the write lock briefly while the server runs
        config.enforceForeignKeys(true);
        // Otherwise the driver runs "SELECT last_insert_rowid()" after every write; Rotor never asks for it.
        config.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    @Override
    public Vendor vendor() {
        return Vendor.SQLITE;
    }

    @Override
    public void startBackground() {
        startCheckpointer();
    }

    /** Runs {@code work} in a write transaction and returns after its durable commit. */
    @Override
    public <T> T write(SqlWork<T> work) {
        try {
            T result = writer.write(work);
            if (writesFailing) writesFailing = false;
            return result;
        } catch (RuntimeException e) {
            if (GroupCommitWriter.isDatabaseFault(e)) writesFailing = true;
            throw e;
        }
    }

    /**
     * Runs {@code work} on a reader connection (autocommit, a consistent snapshot per statement), on a platform
     * thread of the read pool: SQLite runs in native code, which pins a virtual thread to its carrier, so a read
     * that waits on a lock (during a checkpoint, say) would otherwise stall every request scheduled there.
     */
    @Override
    public <T> T read(SqlWork<T> work) {
        if (!Thread.currentThread().isVirtual()) return readHere(work);
        try {
            return readPool.submit(() -> readOnPoolThread(work)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new StoreException("database read failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * A read on one of the pool's threads, each of which keeps its own connection with its statements prepared:
     * preparing the family read on a borrowed connection for every refresh cost more than the read itself.
     */
    private <T> T readOnPoolThread(SqlWork<T> work) throws SQLException {
        Tx tx = poolThreadTx.get();
        if (tx == null) {
            Connection c = files.getConnection();
            synchronized (this) {
                if (closed) {
                    c.close();
                    throw new StoreException("database is closed", null);
                }
                poolThreadConnections.add(c);
            }
            tx = new Tx(c, true);
            poolThreadTx.set(tx);
        }
        try {
            return work.run(tx);
        } catch (SQLException e) {
            tx.clearCache(); // as in the writer: a statement that failed inside SQLite is prepared afresh
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    private <T> T readHere(SqlWork<T> work) {
        try (Connection c = readers.getConnection()) {
            return Tx.once(c, work);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one read transaction on a reader connection: every statement in it sees the database as it
     * was at its first read, whatever this and other processes commit meanwhile (WAL lets them write on). The
     * transaction is rolled back at the end; {@code work}'s SQLException reaches the caller as it is.
     */
    <T> T readSnapshot(SqlWork<T> work) throws SQLException {
        try (Connection c = readers.getConnection()) {
            c.setAutoCommit(false); // BEGIN (DEFERRED): the snapshot is taken at the first read
            Tx tx = new Tx(c, false);
            try {
                return work.run(tx);
            } finally {
                tx.closeStatements();
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Keeps the WAL short without making commits wait for it. A checkpoint copies committed WAL frames back into
     * the database file and flushes it; SQLite starts the log again from its beginning only when a write begins
     * with every frame copied, which a checkpoint running beside a busy writer never achieves (new frames arrive
     * while it copies). Left to itself, the writer would checkpoint when the log reaches its limit, copying tens of
     * megabytes while every request waits for its commit. So a thread of its own copies frames beside the writer
     * (PASSIVE: it never blocks a commit), and once the log is long and nearly all copied, the writer copies the
     * last few frames between two transactions, so that its next transaction starts the log afresh.
     */
    public void startCheckpointer() {
        startCheckpointer(RESTART_FRAMES, CHECKPOINT_PAUSE);
    }

    synchronized void startCheckpointer(long restartFrames, Duration pause) {
        if (closed) throw new IllegalStateException("database is closed");
        if (checkpointer != null) return;
        checkpointer = Thread.ofPlatform().name("rotor-db-checkpointer").daemon(true).start(() -> {
            long quietUntil = 0;
            try (Connection c = files.getConnection(); Statement s = c.createStatement()) {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        checkpointOnce(s, restartFrames);
                    } catch (SQLException | RuntimeException e) {
                        // Said once a minute at most: a disk that fails every pass would otherwise fill the log.
                        if (System.nanoTime() - quietUntil >= 0) {
                            LOG.warn("checkpoint failed (tried again every {} ms): {}", pause.toMillis(), e.toString());
                            quietUntil = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                        }
                    }
                    Thread.sleep(pause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException e) {
                LOG.error("the checkpointer stopped; the writer's automatic checkpoint takes over: {}", e.toString());
            }
        });
    }

    /**
     * One PASSIVE checkpoint; when the log has grown past {@code restartFrames}, catch-up passes follow (each copies
     * what arrived during the one before, so they shrink quickly) until one found almost nothing left and almost
     * nothing new, and then the writer is asked to copy the rest. A pass held back by a reader's snapshot or by
     * another checkpoint does not count as caught up; when the passes run out, the hand-over waits for the next
     * round rather than leave the writer a large remainder.
     */
    private void checkpointOnce(Statement s, long restartFrames) throws SQLException {
        if (writer.checkpointPending()) return;
        Wal wal = Wal.checkpoint(s);
        if (wal.frames() < restartFrames) return;
        for (int i = 0; i < MAX_CATCH_UP_PASSES; i++) {
            long copiedBefore = wal.copied();
            wal = Wal.checkpoint(s);
            if (wal.caughtUp() && wal.copied() - copiedBefore <= WRITER_SHARE_FRAMES) {
                writer.requestCheckpoint();
                return;
            }
        }
    }

    /**
     * What SQLite reports after a checkpoint: whether it was blocked, the frames in the log and how many of them
     * are now in the database file.
     */
    record Wal(boolean busy, long frames, long copied) {
        static Wal checkpoint(Statement s) throws SQLException {
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                return rs.next() ? new Wal(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3)) : new Wal(true, -1, -1);
            }
        }

        /** Not blocked, and at most {@link #WRITER_SHARE_FRAMES} frames of the log left to copy. */
        boolean caughtUp() {
            return !busy && frames >= 0 && frames - copied <= WRITER_SHARE_FRAMES;
        }
    }

    /**
     * Reads answer and writes go through. After a write failed for the database's sake (a full disk, an I/O error,
     * a read-only file), each call tries a write that needs room (64 KiB, rolled back), so readiness comes back by
     * itself once the database takes writes again.
     */
    @Override
    public boolean ready() {
        if (!ping()) return false;
        if (!writesFailing) return true;
        try {
            writer.write(tx -> {
                tx.update("INSERT INTO health_probe (id, at, room) VALUES (1, ?, zeroblob(65536))", java.time.Instant.now());
                throw new ProbeWritten();
            });
        } catch (ProbeWritten written) {
            writesFailing = false;
            return true;
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /** The readiness probe's write went through; thrown to roll it back. */
    private static final class ProbeWritten extends RuntimeException {
        ProbeWritten() {
            super(null, null, false, false);
        }
    }

    /**
     * Writes a copy of the database to {@code file}, a new file made 0600, with {@code VACUUM INTO} on a reader
     * connection: one read transaction, so the copy is a consistent snapshot while this and other processes go on
     * writing (WAL lets them), and it is compact, with nothing in a {@code -wal} of its own. SQLite does not flush
     * the copy; this does, so a backup that was reported is on disk.
     *
     * @throws FileAlreadyExistsException when {@code file} exists: a backup never overwrites
     */
    public void backupTo(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        // VACUUM INTO fills an empty file and keeps its mode; creating it first also refuses an existing one atomically.
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try {
            read(tx -> {
                PreparedStatement vacuum = tx.prepare("VACUUM INTO ?");
                vacuum.setString(1, target.toString());
                vacuum.execute();
                return null;
            });
            try (FileChannel copy = FileChannel.open(target, StandardOpenOption.WRITE); FileChannel dir = FileChannel.open(target.getParent())) {
                copy.force(true);
                dir.force(true);
            }
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    /** SQLite's own {@code PRAGMA integrity_check}: "ok" when the file is sound. */
    public String integrityCheck() {
        return read(tx -> {
            try (ResultSet rs = tx.prepare("PRAGMA integrity_check").executeQuery()) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) sb.append(sb.isEmpty() ? "" : "; ").append(rs.getString(1));
                return sb.toString();
            }
        });
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = checkpointer;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writer.close();
        readPool.shutdown();
        synchronized (this) {
            for (Connection c : poolThreadConnections) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("closing a reader connection: {}", e.toString());
                }
            }
            poolThreadConnections.clear();
        }
        readers.close();
    }
}
