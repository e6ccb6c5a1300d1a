package simplebt.hardening;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The loop every fuzz test shares: a seeded run of inputs (mutated seeds, and every so often
 * random bytes from the {@link Mutator}'s alphabet), each handed to the code under test. An input
 * is either accepted (the target returns) or refused with the one exception type the format
 * promises; anything else thrown, an assertion of the target included, fails the test with the
 * round and the input, so a failure can be replayed.
 */
public final class FuzzLoop {
    /** Feeds one input to the code under test and asserts what must hold when it is accepted. */
    @FunctionalInterface
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    /** Asserts what must hold when an input is refused (e.g. the error names an offset). */
    @FunctionalInterface
    public interface Refusal<E extends Exception> {
        void check(E refused) throws Exception;
    }

    private final Mutator mutator;
    private final long seed;
    private final int rounds;
    private final List<byte[]> seeds;
    private int randomEvery;
    private int maxRandom;
    private boolean seedFirst;

    /** {@code rounds} inputs made by {@code mutator} from {@code seeds}, random stream {@code seed}. */
    public FuzzLoop(Mutator mutator, long seed, int rounds, List<byte[]> seeds) {
        this.mutator = mutator;
        this.seed = seed;
        this.rounds = rounds;
        this.seeds = List.copyOf(seeds);
    }

    /** As above, for text formats: each seed as its ISO-8859-1 bytes. */
    public static FuzzLoop ofText(Mutator mutator, long seed, int rounds, List<String> seeds) {
        return new FuzzLoop(mutator, seed, rounds, seeds.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList());
    }

    /** Every {@code every}-th input is random bytes, shorter than {@code maxLength}, not a mutant. */
    public FuzzLoop randomEvery(int every, int maxLength) {
        this.randomEvery = every;
        this.maxRandom = maxLength;
        return this;
    }

    /** Round 0 is the (only) seed itself, unmutated: the valid path runs at least once. */
    public FuzzLoop seedFirst() {
        this.seedFirst = true;
        return this;
    }

    /** Runs every round; returns how many inputs the target accepted. */
    public <E extends Exception> int accepted(Class<E> refusal, Target target) {
        return accepted(refusal, target, refused -> { });
    }

    /** As {@link #accepted(Class, Target)}, checking each refusal with {@code onRefused}. */
    public <E extends Exception> int accepted(Class<E> refusal, Target target, Refusal<? super E> onRefused) {
        SplittableRandom random = new SplittableRandom(seed);
        int accepted = 0;
        for (int round = 0; round < rounds; round++) {
            byte[] input = input(random, round);
            try {
                if (attempt(input, refusal, target, onRefused)) {
                    accepted++;
                }
            } catch (Throwable t) {
                fail("round " + round + " input " + Mutator.hex(input) + " threw " + t, t);
            }
        }
        return accepted;
    }

    private byte[] input(SplittableRandom random, int round) {
        if (seedFirst && round == 0) {
            return seeds.get(0).clone();
        }
        if (randomEvery > 0 && round % randomEvery == 0) {
            return mutator.randomBytes(random, maxRandom);
        }
        // one seed: no draw for which, so such a run's inputs are what they were before this helper
        byte[] from = seeds.size() == 1 ? seeds.get(0) : seeds.get(random.nextInt(seeds.size()));
        return mutator.mutate(from, random);
    }

    private static <E extends Exception> boolean attempt(byte[] input, Class<E> refusal, Target target,
                                                         Refusal<? super E> onRefused) throws Exception {
        try {
            target.run(input);
            return true;
        } catch (Exception e) {
            if (!refusal.isInstance(e)) {
                throw e;
            }
            onRefused.check(refusal.cast(e));
            return false;
        }
    }
}
