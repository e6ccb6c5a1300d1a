package simplebt.secure;

import java.security.SecureRandom;
import java.util.Locale;
import simplebt.log.Log;

/**
 * Gets the JIT to compile the AES-GCM path before a connection's data flows through it.
 *
 * <p>Why: the JDK seals and opens GCM fast only in C2-compiled code, where GHASH and AES-CTR
 * become AES-NI/VPCLMULQDQ intrinsics (several GB/s). Until then GHASH runs as plain Java at
 * a few tens of MB/s, and the JIT compiles it only after thousands of calls. Measured on the
 * build VM (docs/secure-channel.md), the first 20-80 MiB of a fresh process's transfer went
 * through that slow path on both nodes, which cost 1-1.5 CPU seconds per node, far more than
 * all the rest of a 1 GiB transfer's cryptography. Small records reach the call counts for a
 * fraction of that: seal+open a few thousand of them under a throwaway key. They are
 * {@value #SMALL_RECORD} bytes because the JDK takes its fused AES-GCM path (one pass over the
 * data instead of CTR, then GHASH) only from 512 bytes on, and that path is compiled separately.
 * A full-size record after every {@value #SMALL_PER_ROUND} trains the full-size path and tells
 * when the code is fast.
 *
 * <p>It runs once per {@link #start()} on a daemon thread that ends by itself (bounded work,
 * no I/O); a second run in a process whose code is compiled already takes milliseconds.
 */
public final class CipherWarmUp {
    /** Small records between two timing probes. */
    static final int SMALL_PER_ROUND = 500;
    static final int SMALL_RECORD = 512;
    /** Rounds before the probe may end the warm-up: the fused path needs its own few thousand calls. */
    static final int MIN_ROUNDS = 10;
    /** Gives up after this many rounds even if the probe never looks fast (a very busy machine). */
    static final int MAX_ROUNDS = 40;
    /** A full-size seal+open this quick means compiled code (the slow path takes a millisecond or more). */
    static final long FAST_NANOS = 100_000;

    private CipherWarmUp() {
    }

    /** Starts the warm-up on a new daemon thread and returns it. */
    public static Thread start() {
        return Thread.ofPlatform().daemon().name("aes-gcm-warm-up").start(() -> {
            long t = System.nanoTime();
            int rounds = run();
            Log.debug(String.format(Locale.ROOT, "secure: AES-GCM warm-up took %d rounds, %.0f ms", rounds, (System.nanoTime() - t) / 1e6));
        });
    }

    /** Runs the warm-up on the calling thread; returns the number of rounds it took. */
    static int run() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[KeySchedule.KEY_LENGTH];
        byte[] iv = new byte[NonceSequence.NONCE_LENGTH];
        random.nextBytes(key);
        random.nextBytes(iv);
        // A throwaway key that never meets the wire; the two sides only need to agree with each other.
        RecordCipher sealer = RecordCipher.sealing(key, new NonceSequence(iv, Long.MAX_VALUE));
        RecordCipher opener = RecordCipher.opening(key, new NonceSequence(iv, Long.MAX_VALUE));
        byte[] plain = new byte[RecordCipher.MAX_PLAINTEXT];
        byte[] record = new byte[RecordCipher.MAX_RECORD];
        byte[] opened = new byte[RecordCipher.MAX_PLAINTEXT];
        try {
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                for (int i = 0; i < SMALL_PER_ROUND; i++) {
                    sealer.seal(plain, 0, SMALL_RECORD, record, 0);
                    opener.open(record, 0, opened, 0);
                }
                long t = System.nanoTime();
                sealer.seal(plain, 0, plain.length, record, 0);
                opener.open(record, 0, opened, 0);
                if (round >= MIN_ROUNDS && System.nanoTime() - t < FAST_NANOS) {
                    return round;
                }
            }
            return MAX_ROUNDS;
        } catch (SecureChannelException e) {
            throw new IllegalStateException("a record sealed under the same key did not open", e);
        }
    }
}
