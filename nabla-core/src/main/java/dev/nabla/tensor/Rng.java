package dev.nabla.tensor;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A seeded source of random numbers. Every random thing in Nabla (initialisation, shuffling, dropout) takes
 * one, so the same seed gives the same run, bit for bit.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014),
 * the algorithm {@link SplittableRandom} specifies: {@code new Rng(seed)} gives exactly the numbers of
 * {@code new SplittableRandom(seed)} ({@code RngTest} checks it), so sequences do not change between JDK versions.
 * It is written out here, a few lines, for one reason: its whole state is two longs that {@link #state()} returns
 * and {@link #restore} takes back, which a training checkpoint needs to resume bit for bit, and which the JDK's
 * class keeps private. The distributions (uniform floats, bounded integers, Gaussians) are the JDK's own, the
 * defaults of {@link RandomGenerator} drawing from {@link #nextLong()} and {@link #nextInt()}.
 *
 * <p>The numbers differ from PyTorch's generator: fixtures that need PyTorch's exact values pass the values
 * themselves, not a seed. Not thread-safe.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    /**
     * The generator's state: the value that advances by {@code gamma} at every draw, and the odd increment
     * itself, which differs between generators made by {@link #split()}.
     */
    public record State(long seed, long gamma) {
        /** @throws IllegalArgumentException when {@code gamma} is even: SplitMix64 needs an odd increment */
        public State {
            if ((gamma & 1) == 0) {
                throw new IllegalArgumentException("a generator's gamma must be odd, got " + gamma
                        + ": the state was not written by Rng.state()");
            }
        }
    }

    private long seed;
    private long gamma;
    private final RandomGenerator distributions = new RandomGenerator() {
        @Override
        public long nextLong() {
            return mix64(nextSeed());
        }

        @Override
        public int nextInt() {
            return mix32(nextSeed());
        }
    };

    /** A generator whose whole sequence is fixed by {@code seed}. */
    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A generator that continues from {@code state}, as the one that gave it would have. */
    public static Rng restore(State state) {
        return new Rng(state.seed(), state.gamma());
    }

    /** This generator's state now: {@link #restore} continues the sequence from here. */
    public State state() {
        return new State(seed, gamma);
    }

    /** Sets this generator's state: it continues as the generator that gave {@code state} would have. */
    public void setState(State state) {
        seed = state.seed();
        gamma = state.gamma();
    }

    /** An independent generator derived from this one: use it to give a component its own stream. */
    public Rng split() {
        long childSeed = distributions.nextLong();
        return new Rng(childSeed, mixGamma(nextSeed()));
    }

    /** Uniform in {@code [0, 1)}. */
    public float nextFloat() {
        return distributions.nextFloat();
    }

    /** Uniform in {@code [low, high)}. */
    public float uniform(float low, float high) {
        return low + (high - low) * distributions.nextFloat();
    }

    /** Standard normal N(0, 1). */
    public float nextGaussian() {
        return (float) distributions.nextGaussian();
    }

    /** Uniform integer in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return distributions.nextInt(bound);
    }

    /** A uniformly random permutation of {@code 0 … n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = distributions.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private long nextSeed() {
        return seed += gamma;
    }

    /** Stafford's variant 13 of MurmurHash3's 64-bit finaliser. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Stafford's variant 4, upper 32 bits. */
    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** The increment of a split-off generator: odd, with enough bit transitions to mix well. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
