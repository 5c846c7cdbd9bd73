package dev.tally.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ZipfSamplerTest
{
    @Test
    void tenMillionAccountsAtS11MatchTheoryByChiSquare()
    {
        final long n = 10_000_000L;
        final List<long[]> bins = bins(n);
        final long[] counts = sample(n, 1.1, 1_000_000, 42, bins);
        final double chi = chiSquare(counts, expected(n, 1.1, bins));
        assertThat(chi).isLessThan(criticalValue(bins.size() - 1));
        final double chiWrong = chiSquare(counts, expected(n, 1.0, bins));
        assertThat(chiWrong).as("a sampler with s=1.0 must be rejected").isGreaterThan(100 * criticalValue(bins.size() - 1));
    }

    @Test
    void smallSupportsMatchTheForAnyExponent()
    {
        for (final double s : new double[] { 0.3, 1.0, 1.1, 2.5 })
        {
            final List<long[]> bins = bins(20);
            final long[] counts = sample(20, s, 400_000, 7, bins);
            assertThat(chiSquare(counts, expected(20, s, bins))).as("s=%s", s).isLessThan(criticalValue(19));
        }
    }

    @Test
    void staysWithinRangeAndRejectsBadParameters()
    {
        final ZipfSampler one = new ZipfSampler(1, 1.1);
        final RandomStream random = new RandomStream().at(1, 1);
        for (int i = 0; i < 1000; i++)
        {
            assertThat(one.sample(random)).isEqualTo(1);
        }
        assertThatThrownBy(() -> new ZipfSampler(0, 1.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfSampler(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Ranks 1..100 on their own, then ranges growing by 1.3x up to n. */
    private static List<long[]> bins(final long n)
    {
        final List<long[]> bins = new ArrayList<>();
        long lo = 1;
        while (lo <= n)
        {
            final long hi = lo <= 100 ? lo : Math.min(n, (long)(lo * 1.3));
            bins.add(new long[] { lo, hi });
            lo = hi + 1;
        }
        return bins;
    }

    private static long[] sample(final long n, final double s, final int draws, final long seed, final List<long[]> bins)
    {
        final ZipfSampler sampler = new ZipfSampler(n, s);
        final RandomStream random = new RandomStream();
        final long[] counts = new long[bins.size()];
        final long[] starts = bins.stream().mapToLong(b -> b[0]).toArray();
        for (int i = 0; i < draws; i++)
        {
            final long k = sampler.sample(random.at(seed, i));
            assertThat(k).isBetween(1L, n);
            int bin = java.util.Arrays.binarySearch(starts, k);
            bin = bin >= 0 ? bin : -bin - 2;
            counts[bin]++;
        }
        return counts;
    }

    private static double[] expected(final long n, final double s, final List<long[]> bins)
    {
        final double[] mass = new double[bins.size()];
        double total = 0;
        for (int b = 0; b < bins.size(); b++)
        {
            double sum = 0;
            for (long k = bins.get(b)[1]; k >= bins.get(b)[0]; k--)
            {
                sum += Math.pow(k, -s);
            }
            mass[b] = sum;
            total += sum;
        }
        for (int b = 0; b < mass.length; b++)
        {
            mass[b] /= total;
        }
        return mass;
    }

    private static double chiSquare(final long[] counts, final double[] probability)
    {
        long draws = 0;
        for (final long c : counts)
        {
            draws += c;
        }
        double chi = 0;
        for (int b = 0; b < counts.length; b++)
        {
            final double e = probability[b] * draws;
            chi += (counts[b] - e) * (counts[b] - e) / e;
        }
        return chi;
    }

    /** Roughly the 1e-6 upper quantile of chi-square: fixed seeds make the test deterministic anyway. */
    private static double criticalValue(final int degreesOfFreedom)
    {
        return degreesOfFreedom + 7 * Math.sqrt(2.0 * degreesOfFreedom);
    }
}
