package dev.tally.gen;

import dev.tally.codec.Country;

/**
 * Where accounts live: a weighted table of countries. Each account has a home country, a pure function of
 * (seed, account); an event happens abroad with a small probability, in a country drawn from the same weights.
 */
public final class Countries
{
    private static final String[] CODES =
    {
        "US", "GB", "DE", "FR", "JP", "IN", "BR", "CN", "CA", "IT", "ES", "MX", "KR", "AU", "NL", "PL",
        "SE", "TR", "ID", "CH", "BE", "AT", "DK", "NO", "FI", "IE", "PT", "ZA", "AR", "SG", "NZ", "CZ"
    };
    private static final int[] WEIGHTS =
    {
        300, 70, 70, 50, 50, 45, 40, 40, 30, 30, 30, 20, 20, 20, 20, 20,
        10, 10, 10, 10, 10, 8, 8, 8, 8, 8, 8, 6, 6, 6, 5, 5
    };
    private static final long HOME_SALT = 0x686F6D65L;

    private final int[] codes = new int[CODES.length];
    private final double[] cumulative = new double[CODES.length];
    private final long homeKey;

    /**
     * @param seed the run's seed; it decides which accounts live where.
     */
    public Countries(final long seed)
    {
        long total = 0;
        for (final int w : WEIGHTS)
        {
            total += w;
        }
        long running = 0;
        for (int i = 0; i < CODES.length; i++)
        {
            codes[i] = Country.of(CODES[i]);
            running += WEIGHTS[i];
            cumulative[i] = (double)running / total;
        }
        this.homeKey = RandomStream.key(seed, HOME_SALT);
    }

    /**
     * The home country of an account.
     *
     * @param accountId the account.
     * @return its packed country code.
     */
    public int home(final long accountId)
    {
        return pick((RandomStream.mix(homeKey ^ accountId) >>> 11) * 0x1.0p-53);
    }

    /**
     * A country drawn from the table's weights.
     *
     * @param u uniform in [0, 1).
     * @return a packed country code.
     */
    public int pick(final double u)
    {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (u < cumulative[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return codes[lo];
    }

    /** @return number of countries in the table. */
    public int size()
    {
        return codes.length;
    }

    /**
     * Probability that {@link #pick(double)} returns the given code.
     *
     * @param code packed country code.
     * @return its weight share, zero if not in the table.
     */
    public double weight(final int code)
    {
        for (int i = 0; i < codes.length; i++)
        {
            if (codes[i] == code)
            {
                return cumulative[i] - (i == 0 ? 0.0 : cumulative[i - 1]);
            }
        }
        return 0.0;
    }
}
