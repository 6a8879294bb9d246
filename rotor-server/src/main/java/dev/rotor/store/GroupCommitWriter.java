package dev.rotor.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of an SQLite database, with group commit.
 *
 * <p>SQLite admits one writer at a time, so every write of this process goes through one thread and one
 * connection: nothing in the process competes for the write lock, so no SQLITE_BUSY reaches a client. Work that
 * queues up while a commit is being made durable runs in the next transaction, and one durable commit (WAL,
 * synchronous=FULL: one fsync) acknowledges them all. If a piece fails, the transaction is rolled back and the
 * pieces run again one transaction each, so a failure only ever fails its own caller. A caller returns only after
 * the commit of its work.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH = 512;
    /** A commit slower than this is logged: every write in it waited that long. */
    private static final long SLOW_COMMIT_MILLIS = Long.getLong("rotor.slowCommitMillis", 250);

    private final Connection connection;
    private final Tx tx;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean checkpointRequested;
    private final Statement control;

    private record Task<T>(SqlWork<T> work, CompletableFuture<T> result) {}

    GroupCommitWriter(Connection connection, String name) throws SQLException {
        this.connection = connection;
        this.tx = new Tx(connection, true);
        this.control = connection.createStatement();
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
    }

    <T> T write(SqlWork<T> work) {
        if (!running) throw new StoreException("database is closed", null);
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.add(new Task<>(work, result));
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new StoreException("write failed: " + cause.getMessage(), cause);
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                if (checkpointRequested) checkpoint();
                Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("writer failed a batch", t);
                for (Task<?> task : batch) task.result.completeExceptionally(t);
            } finally {
                batch.clear();
            }
        }
    }

    /** Asks for a checkpoint between two transactions (see {@link SqliteDatabase#startCheckpointer()}). */
    void requestCheckpoint() {
        checkpointRequested = true;
    }

    boolean checkpointPending() {
        return checkpointRequested;
    }

    /**
     * Copies the last frames of the log while no transaction is open, so that the next one restarts the log. When
     * a reader's snapshot or the checkpointer holds it back, the log simply is not restarted this time; the
     * checkpointer asks again.
     */
    private void checkpoint() {
        long start = System.nanoTime();
        try {
            SqliteDatabase.Wal wal = SqliteDatabase.Wal.checkpoint(control);
            if (wal.busy() || wal.copied() < wal.frames()) LOG.debug("checkpoint in the writer incomplete: {}", wal);
        } catch (SQLException e) {
            LOG.warn("checkpoint in the writer failed: {}", e.toString());
        } finally {
            checkpointRequested = false;
        }
        long millis = millisSince(start);
        if (millis >= SLOW_COMMIT_MILLIS) LOG.warn("slow checkpoint in the writer: {} ms (every write queued behind it waited)", millis);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void runBatch(List<Task<?>> batch) {
        if (batch.size() > 1 && runTogether(batch)) return;
        // A piece failed (or there was only one): run each piece in its own transaction, so one failure is its own.
        for (Task<?> task : batch) runTogether(List.of(task));
    }

    /**
     * Runs the pieces in one transaction and completes them after its commit; false, with everything rolled back
     * and nothing completed, when a piece threw (the caller then runs the pieces one by one). Pieces are functions
     * of the database state, so running one again after a rollback is safe. A single piece's failure completes it.
     */
    private boolean runTogether(List<Task<?>> batch) {
        Object[] results = new Object[batch.size()];
        try {
            control.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            fail(batch, new StoreException("database write failed: cannot begin", e));
            return true;
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                results[i] = batch.get(i).work.run(tx);
            } catch (Exception e) {
                rollback();
                // A statement that failed inside SQLite may be left unusable in the cache ("statement is not
                // executing" on its next use): prepare afresh. A refusal of the caller's own (a taken name) is not one.
                if (Tx.failedInSqlite(e)) tx.clearCache();
                if (batch.size() > 1) return false;
                batch.get(0).result.completeExceptionally(e);
                return true;
            }
        }
        long commitStart = System.nanoTime();
        try {
            control.execute("COMMIT");
            long millis = millisSince(commitStart);
            if (millis >= SLOW_COMMIT_MILLIS) LOG.warn("slow commit: {} ms for {} writes (disk flush)", millis, batch.size());
        } catch (SQLException e) {
            LOG.error("commit of {} writes failed: {}", batch.size(), e.toString());
            rollback();
            fail(batch, new StoreException("database write failed", e));
            return true;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results[i]);
        return true;
    }

    /**
     * A failure of the database rather than of the statement: the disk is full, an I/O error, the file cannot be
     * opened or written (SQLite's primary result codes 13, 10, 14 and 8).
     */
    static boolean isDatabaseFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                int primary = s.getErrorCode() & 0xff;
                if (primary == 13 || primary == 10 || primary == 14 || primary == 8) return true;
            }
        }
        return false;
    }

    private void rollback() {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite already rolled the transaction back (e.g. after SQLITE_FULL)
        }
    }

    private static void fail(List<Task<?>> batch, Throwable error) {
        for (Task<?> task : batch) task.result.completeExceptionally(error);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result) {
        task.result.complete((T) result);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection: {}", e.toString());
        }
    }
}
