package dev.tally.gen;

/**
 * A SplitMix64 stream that can be positioned at any (key, index) in O(1), so draws for event {@code i} never
 * depend on events before it. Not thread-safe; reused, never allocated per event.
 */
public final class RandomStream
{
    /** The 64-bit golden-ratio increment of SplitMix64. */
    public static final long GAMMA = 0x9E3779B97F4A7C15L;

    private static final double TWO_PI = 2.0 * Math.PI;

    private long state;

    /**
     * The SplitMix64 output function (a strong 64-bit finaliser).
     *
     * @param z input.
     * @return a well-mixed function of the input.
     */
    public static long mix(final long z)
    {
        long x = z;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /**
     * A key for one purpose (accounts, times, ...) of one seed; streams of different keys are independent.
     *
     * @param seed the run's seed.
     * @param salt a constant naming the purpose.
     * @return the key.
     */
    public static long key(final long seed, final long salt)
    {
        return mix(mix(seed) ^ salt);
    }

    /**
     * Position the stream at the start of index {@code index} of a key.
     *
     * @param key   from {@link #key(long, long)}.
     * @param index event index.
     * @return this.
     */
    public RandomStream at(final long key, final long index)
    {
        state = mix(key + index * GAMMA);
        return this;
    }

    public long nextLong()
    {
        state += GAMMA;
        return mix(state);
    }

    /** @return uniform in [0, 1). */
    public double nextDouble()
    {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return uniform in (0, 1]. */
    public double nextDoubleOpenAtZero()
    {
        return 1.0 - nextDouble();
    }

    /**
     * Uniform integer in [0, bound).
     *
     * @param bound exclusive upper bound, positive.
     * @return the draw.
     */
    public int nextInt(final int bound)
    {
        return (int)((nextLong() >>> 33) * bound >>> 31);
    }

    /** @return a standard normal draw (Box-Muller; one of the pair is used). */
    public double nextGaussian()
    {
        final double radius = Math.sqrt(-2.0 * Math.log(nextDoubleOpenAtZero()));
        return radius * Math.cos(TWO_PI * nextDouble());
    }

    /**
     * Exponential draw.
     *
     * @param mean the mean.
     * @return a draw with that mean.
     */
    public double nextExponential(final double mean)
    {
        return -mean * Math.log(nextDoubleOpenAtZero());
    }
}
