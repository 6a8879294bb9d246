package dev.rotor.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}.
 *
 * <p>At most {@code concurrency} hashes run at once, so a login flood costs at most that many times the
 * Argon2 memory; a request that waits longer than {@code maxWait} gets a {@link HashingBusyException}.
 */
public final class PasswordHasher {
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Params params;
    /**
     * Argon2 memory (1 KiB blocks, 19 MiB per hash at the defaults), one pool per permitted concurrent hash, reused
     * by the next hash instead of allocated per hash: 19 MiB of fresh, live small objects per sign-in kept the young
     * collector copying. A hash takes a whole pool for itself, because one pool shared by concurrent hashes (its
     * lock is taken twice per block) halved the throughput of two threads. Bouncy Castle zeroes the blocks before
     * they return to the pool.
     */
    private final BlockingDeque<Argon2BytesGenerator.BlockPool> blocks;
    private final Semaphore permits;
    private final long maxWaitMillis;
    private final SecureRandom random;

    /** Argon2id cost parameters: memory in KiB, iterations, lanes. */
    public record Params(int memoryKib, int iterations, int parallelism) {}

    public PasswordHasher(Params params, int concurrency, long maxWaitMillis, SecureRandom random) {
        this.params = params;
        int blocksPerHash = Argon2BytesGenerator.getBlockCount(params.memoryKib, params.parallelism);
        this.blocks = new LinkedBlockingDeque<>(concurrency);
        for (int i = 0; i < concurrency; i++) blocks.add(new Argon2BytesGenerator.FixedBlockPool(blocksPerHash));
        this.permits = new Semaphore(concurrency, true);
        this.maxWaitMillis = maxWaitMillis;
        this.random = random;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = compute(password, salt, params, HASH_BYTES);
        return "$argon2id$v=19$m=" + params.memoryKib + ",t=" + params.iterations + ",p=" + params.parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Constant-time check. A malformed stored hash never matches. */
    public boolean verify(String password, String phc) {
        Matcher m = phc == null ? null : PHC.matcher(phc);
        if (m == null || !m.matches()) return false;
        Params p;
        byte[] salt;
        byte[] expected;
        try {
            p = new Params(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            salt = B64D.decode(m.group(4));
            expected = B64D.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Bounds: a corrupt row must not make one login allocate gigabytes or throw.
        if (p.memoryKib < 8 || p.memoryKib > 4 * 1024 * 1024 || p.iterations < 1 || p.iterations > 100 || p.parallelism < 1
                || p.parallelism > 16 || expected.length < 16 || salt.length < 8) {
            return false;
        }
        return MessageDigest.isEqual(expected, compute(password, salt, p, expected.length));
    }

    /** True when the stored hash was made with other parameters than the configured ones. */
    public boolean needsRehash(String phc) {
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) return true;
        return Integer.parseInt(m.group(1)) != params.memoryKib || Integer.parseInt(m.group(2)) != params.iterations
                || Integer.parseInt(m.group(3)) != params.parallelism;
    }

    private byte[] compute(String password, byte[] salt, Params p, int length) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) throw new HashingBusyException();
        try {
            // The hash runs on a platform thread of its own: on a virtual thread's carrier it would hold up every
            // other request scheduled there for the whole ~20 ms. The caller (often virtual) just waits.
            return WORKERS.submit(() -> argon2(password, salt, p, length)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HashingBusyException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            permits.release();
        }
    }

    /**
     * Runs under a permit, so a pool is free or about to be: a caller that gave up (interrupted) released its permit
     * while its hash still runs, and the next hash waits here for that pool rather than allocate another 19 MiB.
     */
    private byte[] argon2(String password, byte[] salt, Params p, int length) throws InterruptedException {
        Argon2BytesGenerator.BlockPool pool = blocks.takeFirst();
        byte[] secret = PasswordPolicy.normalize(password).getBytes(StandardCharsets.UTF_8);
        try {
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(p.memoryKib).withIterations(p.iterations).withParallelism(p.parallelism)
                    .withSalt(salt).withBlockPool(pool).build());
            byte[] out = new byte[length];
            gen.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
            blocks.addFirst(pool); // last in, first out: a pool fills only when that many hashes ever ran at once
        }
    }

    /** Platform threads for hashing; how many hash at once is bounded by the permits, not by this pool. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("rotor-argon2-", 0).daemon(true).factory());
}
