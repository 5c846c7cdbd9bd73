package dev.tally.jmh.window;

/** A reproducible stream of account ids drawn uniformly from {@code [1, accounts]} (SplitMix64). */
final class UniformAccounts
{
    private final long accounts;
    private long state;

    UniformAccounts(final long seed, final long accounts)
    {
        this.accounts = accounts;
        this.state = seed;
    }

    long next()
    {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return 1 + Long.remainderUnsigned(z, accounts);
    }
}
