package dev.tally.stack.clickhouse;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Armed faults and how often each has fired. Each kind has a count of inserts still to hit; an insert consumes at
 * most one of each kind, in the order stall, latency, fail-before-apply, lose-ack.
 * <p>
 * Invariant: a stalled insert waits on the release latch that was current when it stalled; {@link #clear()} opens
 * that latch and installs a fresh one.
 */
final class FaultInjector
{
    /** A stall never outlives this, so a forgotten stall cannot pin a request forever. */
    private static final long MAX_STALL_SECONDS = 600;

    private final Map<Fault, AtomicInteger> armed = new EnumMap<>(Fault.class);
    private final Map<Fault, Double> rates = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Fault, AtomicLong> seen = new EnumMap<>(Fault.class);
    private final Map<Fault, AtomicLong> fired = new EnumMap<>(Fault.class);
    private final AtomicInteger stalledNow = new AtomicInteger();
    private volatile long latencyMillis;
    private volatile CountDownLatch release = new CountDownLatch(1);

    FaultInjector()
    {
        for (final Fault fault : Fault.values())
        {
            armed.put(fault, new AtomicInteger());
            seen.put(fault, new AtomicLong());
            fired.put(fault, new AtomicLong());
        }
    }

    /** Arms {@code fault} for the next {@code count} inserts; {@code millis} is the delay for {@link Fault#LATENCY}. */
    void arm(final Fault fault, final int count, final long millis)
    {
        if (fault == Fault.LATENCY)
        {
            latencyMillis = millis;
        }
        armed.get(fault).set(count);
    }

    /**
     * Arms {@code fault} for a fraction {@code rate} of the later inserts, until cleared (0 disarms it): the k-th
     * insert from now is hit when {@code round(k * rate)} steps up, so the hits are evenly spread and reproducible.
     */
    void armRate(final Fault fault, final double rate, final long millis)
    {
        if (fault == Fault.LATENCY)
        {
            latencyMillis = millis;
        }
        seen.get(fault).set(0);
        rates.put(fault, rate);
    }

    /** Disarms every fault and releases stalled inserts. */
    void clear()
    {
        rates.clear();
        for (final AtomicInteger count : armed.values())
        {
            count.set(0);
        }
        final CountDownLatch old = release;
        release = new CountDownLatch(1);
        old.countDown();
    }

    /** Called with the insert's data in hand, before it is applied; true when the insert must fail instead. */
    boolean beforeApply() throws InterruptedException
    {
        if (take(Fault.STALL))
        {
            final CountDownLatch latch = release;
            stalledNow.incrementAndGet();
            try
            {
                latch.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
            }
            finally
            {
                stalledNow.decrementAndGet();
            }
        }
        if (take(Fault.LATENCY))
        {
            Thread.sleep(latencyMillis);
        }
        return take(Fault.FAIL_BEFORE_APPLY);
    }

    /** Called after a successful apply; true when the response must be lost. */
    boolean afterApply()
    {
        return take(Fault.LOSE_ACK);
    }

    private boolean take(final Fault fault)
    {
        final AtomicInteger count = armed.get(fault);
        int n;
        do
        {
            n = count.get();
            if (n <= 0)
            {
                final Double rate = rates.get(fault);
                if (rate == null)
                {
                    return false;
                }
                final long k = seen.get(fault).incrementAndGet();
                if (Math.round(k * rate) > Math.round((k - 1) * rate))
                {
                    fired.get(fault).incrementAndGet();
                    return true;
                }
                return false;
            }
        }
        while (!count.compareAndSet(n, n - 1));
        fired.get(fault).incrementAndGet();
        return true;
    }

    /** One {@code key=value} line per counter: {@code <fault>_armed}, {@code _fired}, {@code _rate}, {@code stalled_now}. */
    String status()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Fault fault : Fault.values())
        {
            sb.append(fault.wireName()).append("_armed=").append(armed.get(fault).get()).append('\n');
            sb.append(fault.wireName()).append("_fired=").append(fired.get(fault).get()).append('\n');
            sb.append(fault.wireName()).append("_rate=").append(rates.getOrDefault(fault, 0.0)).append('\n');
        }
        return sb.append("stalled_now=").append(stalledNow.get()).append('\n').toString();
    }
}
