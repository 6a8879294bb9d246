package dev.rotor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded database: SQLite in WAL mode with synchronous=FULL (a commit is on disk before it is acknowledged),
 * schema by Flyway migrations, one group-commit writer and a small pool of readers (WAL lets them read while the
 * writer writes).
 */
public final class SqliteDatabase implements AutoCloseable {
    private static final int READERS = 4;
    private final GroupCommitWriter writer;
    private final HikariDataSource readers;
    private final java.util.concurrent.ExecutorService readPool = java.util.concurrent.Executors.newFixedThreadPool(READERS,
            Thread.ofPlatform().name("rotor-db-reader-", 0).daemon(true).factory());

    private SqliteDatabase(GroupCommitWriter writer, HikariDataSource readers) {
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating the file and its directory if needed) and migrates the database. */
    public static SqliteDatabase open(String jdbcUrl) {
        try {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
                Path parent = Path.of(file).toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            }
            SQLiteDataSource ds = dataSource(jdbcUrl);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL"); // persistent: set once, kept in the file
            }
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            Connection writerConnection = ds.getConnection();
            try (Statement s = writerConnection.createStatement()) {
                // Keep the B-tree pages a rotation touches in memory; checkpoints run beside the writer (see
                // checkpoint()), the writer's own automatic checkpoint is only a backstop for a stuck checkpointer.
                s.execute("PRAGMA cache_size = -65536");
                s.execute("PRAGMA wal_autocheckpoint = 16384");
            }
            GroupCommitWriter writer = new GroupCommitWriter(writerConnection, "rotor-db-writer");
            HikariConfig hc = new HikariConfig();
            hc.setDataSource(ds);
            hc.setMaximumPoolSize(READERS);
            hc.setMinimumIdle(1);
            hc.setPoolName("rotor-db-readers");
            return new SqliteDatabase(writer, new HikariDataSource(hc));
        } catch (Exception e) {
            throw new StoreException("cannot open database " + jdbcUrl + ": " + e.getMessage(), e);
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

    /** Runs {@code work} in a write transaction and returns after its durable commit. */
    public <T> T write(SqlWork<T> work) {
        return writer.write(work);
    }

    /**
     * Runs {@code work} on a reader connection (autocommit, a consistent snapshot per statement), on a platform
     * thread of the read pool: SQLite runs in native code, which pins a virtual thread to its carrier, so a read
     * that waits on a lock (during a checkpoint, say) would otherwise stall every request scheduled there.
     */
    public <T> T read(SqlWork<T> work) {
        if (!Thread.currentThread().isVirtual()) return readHere(work);
        try {
            return readPool.submit(() -> readHere(work)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new StoreException("database read failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private <T> T readHere(SqlWork<T> work) {
        try (Connection c = readers.getConnection()) {
            Tx tx = new Tx(c, false);
            try {
                return work.run(tx);
            } finally {
                tx.closeStatements();
            }
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies committed WAL frames back into the database file without blocking the writer (a PASSIVE checkpoint
     * on a reader connection), so that commits never pay for a checkpoint. Called every few seconds.
     */
    public void checkpoint() {
        read(tx -> {
            try (ResultSet rs = tx.prepare("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
                return rs.next();
            }
        });
    }

    /** True when a trivial query answers. */
    public boolean ping() {
        try {
            return read(tx -> {
                try (ResultSet rs = tx.prepare("SELECT 1").executeQuery()) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
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
        writer.close();
        readPool.shutdown();
        readers.close();
    }
}
