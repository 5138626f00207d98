package dev.nabla.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers. Every random thing in Nabla (initialisation, shuffling, dropout) takes
 * one, so the same seed gives the same run, bit for bit.
 *
 * <p>Built on {@link SplittableRandom}, whose algorithm is fixed by its specification, so sequences do not
 * change between JDK versions. The numbers differ from PyTorch's generator: fixtures that need PyTorch's
 * exact values pass the values themselves, not a seed.
 */
public final class Rng {
    private final SplittableRandom random;

    /** A generator whose whole sequence is fixed by {@code seed}. */
    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent generator derived from this one: use it to give a component its own stream. */
    public Rng split() {
        return new Rng(random.split());
    }

    /** Uniform in {@code [0, 1)}. */
    public float nextFloat() {
        return random.nextFloat();
    }

    /** Uniform in {@code [low, high)}. */
    public float uniform(float low, float high) {
        return low + (high - low) * random.nextFloat();
    }

    /** Standard normal N(0, 1). */
    public float nextGaussian() {
        return (float) random.nextGaussian();
    }

    /** Uniform integer in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A uniformly random permutation of {@code 0 … n-1} (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
