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
 * queues up while a commit is being made durable runs in the next transaction, each piece under its own
 * savepoint (a failing piece rolls back alone), and one durable commit (WAL, synchronous=FULL: one fsync)
 * acknowledges them all. A caller returns only after the commit of its work.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    static final int MAX_BATCH = 512;

    private final Connection connection;
    private final Tx tx;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
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

    private void runBatch(List<Task<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] errors = new Throwable[batch.size()];
        try {
            control.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < batch.size(); i++) {
                control.execute("SAVEPOINT task");
                try {
                    results[i] = batch.get(i).work.run(tx);
                    control.execute("RELEASE task");
                } catch (Exception e) {
                    control.execute("ROLLBACK TO task");
                    control.execute("RELEASE task");
                    errors[i] = e;
                }
            }
            control.execute("COMMIT");
        } catch (SQLException e) {
            LOG.error("transaction of {} writes failed: {}", batch.size(), e.toString());
            try {
                control.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // no transaction was open
            }
            StoreException failure = new StoreException("database write failed", e);
            for (Task<?> task : batch) task.result.completeExceptionally(failure);
            return;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results[i], errors[i]);
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result, Throwable error) {
        if (error != null) {
            task.result.completeExceptionally(error);
        } else {
            task.result.complete((T) result);
        }
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
