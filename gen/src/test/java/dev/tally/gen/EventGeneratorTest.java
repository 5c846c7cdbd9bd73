package dev.tally.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.tally.codec.DecodeResult;
import dev.tally.codec.EventKind;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;

class EventGeneratorTest
{
    private static final long START = 1_767_225_600_000L;

    @Test
    void eventIIsAPureFunctionOfSeedAndIndex()
    {
        final GenConfig config = new GenConfig().seed(99).eventTimeStart(START).malformedFraction(0.05).jsonFraction(0.1);
        final EventGenerator sequential = new EventGenerator(config);
        final int count = 20_000;
        final byte[][] values = new byte[count][];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[sequential.maxValueLength()]);
        for (int i = 0; i < count; i++)
        {
            final int length = sequential.encode(i, buffer, 0);
            values[i] = new byte[length];
            buffer.getBytes(0, values[i]);
        }
        final EventGenerator shuffled = new EventGenerator(config);
        final SplittableRandom random = new SplittableRandom(5);
        for (int n = 0; n < count; n++)
        {
            final int i = random.nextInt(count);
            final int length = shuffled.encode(i, buffer, 0);
            final byte[] again = new byte[length];
            buffer.getBytes(0, again);
            assertThat(again).as("index %d", i).isEqualTo(values[i]);
        }
        final EventGenerator otherSeed = new EventGenerator(new GenConfig().seed(100).eventTimeStart(START));
        int same = 0;
        final MutableEvent a = new MutableEvent();
        final MutableEvent b = new MutableEvent();
        for (int i = 0; i < 1000; i++)
        {
            sequential.event(i, a);
            otherSeed.event(i, b);
            same += a.sameEvent(b) ? 1 : 0;
        }
        assertThat(same).isZero();
    }

    @Test
    void kindsAmountsCountriesAndSizesFollowTheirDistributions()
    {
        final GenConfig config = new GenConfig().seed(3).eventTimeStart(START);
        final EventGenerator generator = new EventGenerator(config);
        final MutableEvent event = new MutableEvent();
        final int n = 400_000;
        final int[] kinds = new int[EventKind.COUNT];
        final double[] logs = new double[n];
        int purchases = 0;
        int atHome = 0;
        double expectedAtHome = 0;
        long sizeSum = 0;
        for (int i = 0; i < n; i++)
        {
            generator.event(i, event);
            kinds[event.kind()]++;
            switch (event.kind())
            {
                case EventKind.PURCHASE -> logs[purchases++] = Math.log(event.amount());
                case EventKind.REFUND -> assertThat(event.amount()).isNegative();
                default -> assertThat(event.amount()).isZero();
            }
            final int home = generator.countries().home(event.accountId());
            atHome += event.country() == home ? 1 : 0;
            expectedAtHome += 1 - config.foreignFraction() + config.foreignFraction() * generator.countries().weight(home);
            assertThat(event.accountId()).isBetween(1L, config.accounts());
            final int size = event.payloadLength() + 48;
            assertThat(size).isBetween(200, 400);
            sizeSum += size;
        }
        assertThat(kinds[EventKind.REFUND] / (double)n).isCloseTo(0.03, org.assertj.core.data.Offset.offset(0.002));
        assertThat(kinds[EventKind.PURCHASE] / (double)n).isCloseTo(0.35, org.assertj.core.data.Offset.offset(0.005));
        assertThat(kinds[EventKind.VIEW] / (double)n).isCloseTo(0.55, org.assertj.core.data.Offset.offset(0.005));
        double mean = 0;
        for (int i = 0; i < purchases; i++)
        {
            mean += logs[i] / purchases;
        }
        double variance = 0;
        for (int i = 0; i < purchases; i++)
        {
            variance += (logs[i] - mean) * (logs[i] - mean) / purchases;
        }
        assertThat(Math.exp(mean)).as("median amount").isCloseTo(2500, org.assertj.core.data.Offset.offset(50.0));
        assertThat(Math.sqrt(variance)).as("log-sd").isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat((double)atHome).isCloseTo(expectedAtHome, org.assertj.core.data.Offset.offset(0.002 * n));
        assertThat(sizeSum / (double)n).isCloseTo(300, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void lateAndOutOfOrderFractionsAreWithinTolerance()
    {
        final GenConfig config = new GenConfig().seed(11).eventTimeStart(START).rate(1_000).outOfOrderSpreadMs(2_000);
        final EventGenerator generator = new EventGenerator(config);
        final MutableEvent event = new MutableEvent();
        final int n = 600_000;
        int lateDraws = 0;
        int outOfOrder = 0;
        int engineLate = 0;
        int beyondLateness = 0;
        double displacement = 0;
        int onTime = 0;
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < n; i++)
        {
            generator.event(i, event);
            final long lateness = generator.lateness(i);
            final long nominal = generator.nominalTime(i);
            if (lateness > 0)
            {
                lateDraws++;
                assertThat(lateness).isBetween(config.lateMinMs(), config.lateMaxMs());
            }
            else
            {
                onTime++;
                displacement += nominal - event.eventTime();
                assertThat(nominal - event.eventTime()).isBetween(0L, 2_000L + 60_000L);
            }
            outOfOrder += event.eventTime() < maxSeen ? 1 : 0;
            maxSeen = Math.max(maxSeen, event.eventTime());
            final long watermark = maxSeen - 2_000;
            final long windowEnd = Math.floorDiv(event.eventTime(), 60_000L) * 60_000L + 60_000L;
            engineLate += windowEnd <= watermark ? 1 : 0;
            beyondLateness += windowEnd + 30_000 <= watermark ? 1 : 0;
        }
        assertThat(lateDraws / (double)n).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.001));
        assertThat(displacement / onTime).as("mean lag + spread/2").isCloseTo(1_050, org.assertj.core.data.Offset.offset(10.0));
        assertThat(outOfOrder / (double)n).isGreaterThan(0.4);

        final double pLate = expectedShare(config, 2_000 - 1_050);
        final double pBeyond = expectedShare(config, 32_000 - 1_050);
        assertThat(engineLate / (double)n).isCloseTo(0.02 * pLate, org.assertj.core.data.Offset.offset(0.02 * pLate * 0.06));
        assertThat(beyondLateness / (double)n)
            .isCloseTo(0.02 * pBeyond, org.assertj.core.data.Offset.offset(0.02 * pBeyond * 0.06));
        assertThat(engineLate - beyondLateness).as("late but within allowed lateness").isGreaterThan(lateDraws / 10);
        assertThat(beyondLateness).as("beyond allowed lateness").isGreaterThan(lateDraws / 3);
    }

    @Test
    void malformedAndJsonRecordsAreInjectedAtTheirFractions()
    {
        final GenConfig config = new GenConfig().seed(5).eventTimeStart(START).malformedFraction(0.1).jsonFraction(0.2);
        final EventGenerator generator = new EventGenerator(config);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        final ValueDecoder decoder = new ValueDecoder();
        final MutableEvent expected = new MutableEvent();
        final MutableEvent decoded = new MutableEvent();
        final int n = 100_000;
        int malformed = 0;
        int json = 0;
        for (int i = 0; i < n; i++)
        {
            final int length = generator.encode(i, buffer, 0);
            final int result = decoder.decode(buffer, 0, length, decoded);
            if (generator.isMalformed(i))
            {
                malformed++;
                assertThat(result).as("index %d", i).isNotEqualTo(DecodeResult.OK);
                continue;
            }
            assertThat(result).isEqualTo(DecodeResult.OK);
            generator.event(i, expected);
            assertThat(decoded).isEqualTo(expected);
            if (generator.isJson(i))
            {
                json++;
                assertThat(decoder.form()).isEqualTo(ValueDecoder.FORM_JSON);
            }
        }
        assertThat(malformed / (double)n).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.005));
        assertThat(json / (double)(n - malformed)).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.006));
    }

    @Test
    void generatingAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final EventGenerator generator = new EventGenerator(new GenConfig().eventTimeStart(START).jsonFraction(0.1)
            .malformedFraction(0.01));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        final MutableEvent event = new MutableEvent();
        long sum = run(generator, buffer, event, 0, 100_000);
        final long before = threads.getCurrentThreadAllocatedBytes();
        sum += run(generator, buffer, event, 100_000, 500_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        assertThat(allocated).as("bytes allocated generating 500k events").isLessThan(8 * 1024);
    }

    private static long run(final EventGenerator generator, final UnsafeBuffer buffer, final MutableEvent event,
        final long from, final long to)
    {
        long sum = 0;
        for (long i = from; i < to; i++)
        {
            generator.event(i, event);
            sum += event.accountId() + generator.encode(i, buffer, 0);
        }
        return sum;
    }

    /** Share of late draws whose window has closed by (lateness - margin): lateness is log-uniform. */
    private static double expectedShare(final GenConfig config, final double margin)
    {
        final double lo = Math.log(config.lateMinMs());
        final double hi = Math.log(config.lateMaxMs());
        final int steps = 100_000;
        double share = 0;
        for (int s = 0; s < steps; s++)
        {
            final double lateness = Math.exp(lo + (s + 0.5) / steps * (hi - lo));
            share += Math.max(0, Math.min(1, (lateness - margin) / 60_000.0)) / steps;
        }
        return share;
    }
}
