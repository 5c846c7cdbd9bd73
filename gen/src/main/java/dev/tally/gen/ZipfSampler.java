package dev.tally.gen;

/**
 * Samples ranks {@code 1..n} with probability proportional to {@code k^-s} by rejection-inversion
 * (Hörmann and Derflinger, 1996): O(1) time and memory for any n, no table. Works for any {@code s > 0}.
 * <p>
 * The hat is the continuous density {@code h(x) = x^-s} over {@code [1.5, n + 0.5]} plus a box of area
 * {@code h(1)} for rank 1; a point drawn under the hat by inversion is accepted if it falls under the step
 * function of the discrete distribution. Acceptance is above 90% for all parameters of interest.
 * Invariant: {@code sample} returns a value in {@code [1, n]}.
 */
public final class ZipfSampler
{
    private final long n;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;

    /**
     * @param n        number of ranks, at least 1.
     * @param exponent the exponent s, positive.
     */
    public ZipfSampler(final long n, final double exponent)
    {
        if (n < 1 || !(exponent > 0) || Double.isInfinite(exponent))
        {
            throw new IllegalArgumentException("zipf needs n >= 1 and s > 0: n=" + n + " s=" + exponent);
        }
        this.n = n;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    /**
     * Draw one rank.
     *
     * @param random source of uniforms; consumes one or (rarely) more draws.
     * @return a rank in {@code [1, n]}.
     */
    public long sample(final RandomStream random)
    {
        while (true)
        {
            final double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            final double x = hIntegralInverse(u);
            long k = (long)(x + 0.5);
            if (k < 1)
            {
                k = 1;
            }
            else if (k > n)
            {
                k = n;
            }
            if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k))
            {
                return k;
            }
        }
    }

    public long n()
    {
        return n;
    }

    public double exponent()
    {
        return exponent;
    }

    private double h(final double x)
    {
        return Math.exp(-exponent * Math.log(x));
    }

    /** Antiderivative of h: {@code (x^(1-s) - 1) / (1-s)}, and {@code log x} when s = 1. */
    private double hIntegral(final double x)
    {
        final double logX = Math.log(x);
        return expm1OverX((1.0 - exponent) * logX) * logX;
    }

    private double hIntegralInverse(final double y)
    {
        double t = y * (1.0 - exponent);
        if (t < -1.0)
        {
            t = -1.0;
        }
        return Math.exp(log1pOverX(t) * y);
    }

    /** {@code (e^x - 1) / x}, continuous at 0. */
    private static double expm1OverX(final double x)
    {
        if (Math.abs(x) > 1e-8)
        {
            return Math.expm1(x) / x;
        }
        return 1.0 + x * 0.5 * (1.0 + x / 3.0);
    }

    /** {@code log(1 + x) / x}, continuous at 0. */
    private static double log1pOverX(final double x)
    {
        if (Math.abs(x) > 1e-8)
        {
            return Math.log1p(x) / x;
        }
        return 1.0 - x * (0.5 - x / 3.0);
    }
}
