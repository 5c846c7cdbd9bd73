package dev.tally.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples the log ends and the group's committed positions every 250 ms on a thread of its own, so that the time
 * each fault took to recover from can be read off afterwards: from the fault until the committed positions cover
 * every record that was in the log when the fault happened. Public for {@code ./tally demo}.
 */
public final class LagSampler implements AutoCloseable
{
    private static final long PERIOD_MS = 250;

    private record Sample(long nanoTime, long end, long position)
    {
    }

    private final LagProbe probe;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private LagSampler(final LagProbe probe)
    {
        this.probe = probe;
        this.thread = Thread.ofPlatform().name("chaos-lag").daemon().start(this::loop);
    }

    public static LagSampler start(final String bootstrap, final String topic, final String group, final int partitions)
    {
        return new LagSampler(new LagProbe(bootstrap, topic, group, partitions));
    }

    private void loop()
    {
        while (running)
        {
            final long[] s = probe.sample();
            if (s != null)
            {
                synchronized (samples)
                {
                    samples.add(new Sample(System.nanoTime(), s[0], s[1]));
                }
            }
            try
            {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
            }
            catch (final InterruptedException e)
            {
                return;
            }
        }
    }

    /**
     * For each fault instant, the time until the committed positions reached the log end of the first sample taken
     * at or after it; null for a fault not recovered from before sampling stopped.
     */
    public List<Duration> recoveryTimes(final List<Long> faultNanos)
    {
        final List<Sample> copy;
        synchronized (samples)
        {
            copy = new ArrayList<>(samples);
        }
        final List<Duration> times = new ArrayList<>();
        for (final long fault : faultNanos)
        {
            Long endAtFault = null;
            Duration recovered = null;
            for (final Sample s : copy)
            {
                if (s.nanoTime() < fault)
                {
                    continue;
                }
                if (endAtFault == null)
                {
                    endAtFault = s.end();
                }
                if (s.position() >= endAtFault)
                {
                    recovered = Duration.ofNanos(s.nanoTime() - fault);
                    break;
                }
            }
            times.add(recovered);
        }
        return times;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(15));
        probe.close();
    }
}
