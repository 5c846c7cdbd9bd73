package dev.tally.chaos.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tally.chaos.EngineInstance;
import dev.tally.chaos.LagProbe;
import dev.tally.chaos.LagSampler;
import dev.tally.gen.GenMain;

/**
 * The middle of the demo: the generator produces at its paced rate while the engine runs; about a third of the way
 * in the engine is killed with SIGKILL while ClickHouse holds one of its inserts, the acknowledgement of the next
 * insert is armed to be lost, and the engine is restarted; then everything waits until the engine has caught up
 * (the group's committed positions cover the whole topic). The engine is supervised: one that exits on its own is
 * started again and the report says so.
 */
final class DemoFlow
{
    private static final long TICK_MS = 200;
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(180);

    private final DemoSettings settings;
    private final DemoNames names;
    private final DemoStack stack;
    private final DemoEngine engine;
    private final InsertFaults faults;
    private final DemoReport report;
    private final PrintStream out;
    private EngineMetricsScrape last;
    private long lastScrapeNs;
    private long flowStart;

    DemoFlow(final DemoSettings settings, final DemoNames names, final DemoStack stack, final DemoEngine engine,
        final InsertFaults faults, final DemoReport report, final PrintStream out)
    {
        this.settings = settings;
        this.names = names;
        this.stack = stack;
        this.engine = engine;
        this.faults = faults;
        this.report = report;
        this.out = out;
    }

    void run() throws Exception
    {
        final AtomicInteger genExit = new AtomicInteger(-1);
        final LagSampler sampler = LagSampler.start(stack.bootstrap(), names.topic(), names.group(),
            DemoSettings.PARTITIONS);
        flowStart = System.nanoTime();
        final Thread generator = Thread.ofPlatform().name("demo-gen").daemon().start(() -> genExit.set(
            GenMain.run("--bootstrap", stack.bootstrap(), "--topic", names.topic(), "--partitions",
                Integer.toString(DemoSettings.PARTITIONS), "--replication-factor", "1",
                "--events", Long.toString(settings.events()), "--rate", Integer.toString(settings.rate()),
                "--seed", Long.toString(settings.seed()), "--accounts", "1000000", "--late-fraction", "0.02",
                "--malformed-fraction", "0.0001", "--json-fraction", "0.05", "--progress-interval", "1h")));
        final long killAt = flowStart + (long)(settings.flowSeconds() * 0.35e9);
        final long giveUp = flowStart + (long)(settings.flowSeconds() * 3e9) + TimeUnit.MINUTES.toNanos(10);
        long ackDeadline = 0;
        long nextProgress = flowStart + TimeUnit.SECONDS.toNanos(10);
        boolean killed = false;
        boolean ackGaveUp = false;
        try (LagProbe probe = new LagProbe(stack.bootstrap(), names.topic(), names.group(), DemoSettings.PARTITIONS))
        {
            while (true)
            {
                TimeUnit.MILLISECONDS.sleep(TICK_MS);
                final long now = System.nanoTime();
                supervise();
                scrape(now);
                if (!killed && now >= killAt && last != null && last.count("tally_batches_inserted_total") >= 1)
                {
                    killMidInsert(now);
                    killed = true;
                    ackDeadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
                }
                if (report.ackArmed && !report.ackLost && !ackGaveUp)
                {
                    if (faults.acksLost() >= 1)
                    {
                        report.ackLost = true;
                        report.ackLostAtS = seconds(System.nanoTime());
                        faults.clear();
                        report.heldReleased = faults.awaitNoneHeld(Duration.ofSeconds(10));
                        out.printf(Locale.ROOT, "demo: t=%.1fs ClickHouse applied the restarted engine's first insert " +
                            "and dropped its acknowledgement; the held insert of the killed engine is let go now%n",
                            report.ackLostAtS);
                    }
                    else if (now > ackDeadline)
                    {
                        faults.clear();
                        ackGaveUp = true;
                    }
                }
                if (now >= nextProgress)
                {
                    progress(now, probe);
                    nextProgress += TimeUnit.SECONDS.toNanos(10);
                }
                if (!generator.isAlive())
                {
                    if (genExit.get() != 0)
                    {
                        throw new IllegalStateException("the generator failed (exit " + genExit.get() + "); see above");
                    }
                    if (report.flowNanos == 0)
                    {
                        report.flowNanos = now - flowStart;
                        out.printf(Locale.ROOT, "demo: t=%.1fs all %,d events produced; waiting for the engine to " +
                            "catch up%n", seconds(now), settings.events());
                    }
                    final boolean faultsDone = killed && (!report.ackArmed || report.ackLost || ackGaveUp);
                    if (faultsDone && caughtUp(probe))
                    {
                        report.caughtUpNanos = System.nanoTime() - flowStart;
                        out.printf(Locale.ROOT, "demo: t=%.1fs caught up: the group's committed positions cover " +
                            "all %,d events%n", seconds(System.nanoTime()), settings.events());
                        break;
                    }
                }
                if (now > giveUp)
                {
                    throw new IllegalStateException("the engine did not catch up within " +
                        DemoReport.duration((giveUp - flowStart) / 1_000_000) + "; see " + engine.instance().log());
                }
            }
        }
        finally
        {
            if (faults != null && report.ackArmed && !report.ackLost)
            {
                faults.clear();
            }
            sampler.close();
        }
        if (report.killAtS >= 0)
        {
            final long kill = flowStart + (long)(report.killAtS * 1e9);
            final Duration sampled = sampler.recoveryTimes(List.of(kill)).getFirst();
            // Caught up covers the log end at the kill too: the sampler's 250 ms may just not have seen it yet.
            report.recovery = sampled != null ? sampled : Duration.ofNanos(flowStart + report.caughtUpNanos - kill);
        }
    }

    /** The last scrape of the running engine; counted by the caller once the engine is done. */
    EngineMetricsScrape lastScrape()
    {
        return last;
    }

    private void supervise()
    {
        final EngineInstance e = engine.instance();
        if (!e.alive())
        {
            out.println("demo: the engine exited on its own (exit " + e.exitStatus() + ", see " + e.log() +
                "); starting it again");
            report.unexpectedRestarts++;
            if (last != null)
            {
                report.totals.add(last, false);
            }
            last = null;
            engine.start();
        }
    }

    private void scrape(final long now)
    {
        if (now - lastScrapeNs >= TimeUnit.SECONDS.toNanos(1))
        {
            EngineMetricsScrape.of(engine.metricsUrl()).ifPresent(s -> last = s);
            lastScrapeNs = now;
        }
    }

    /**
     * With the fault endpoint: ClickHouse holds the engine's next insert, and the SIGKILL goes out while it does,
     * so that insert is in flight by construction; the engine is scraped just before (its writer is blocked on the
     * held insert, so nothing is acknowledged after the scrape). The next insert's ack is armed to be lost before
     * the restart, so it hits the restarted engine's first insert: the journal re-send of the held batch.
     */
    private void killMidInsert(final long now) throws InterruptedException
    {
        final EngineInstance e = engine.instance();
        if (faults != null)
        {
            report.killHeld = faults.holdNextInsert(HOLD_TIMEOUT);
            last = EngineMetricsScrape.of(engine.metricsUrl()).orElse(last);
            report.totals.add(last, report.killHeld);
        }
        else
        {
            final long deadline = System.nanoTime() + HOLD_TIMEOUT.toNanos();
            while (last.count("tally_inflight_batches") < 1 && System.nanoTime() < deadline)
            {
                TimeUnit.MILLISECONDS.sleep(20);
                last = EngineMetricsScrape.of(engine.metricsUrl()).orElse(last);
            }
            report.inFlightAtKill = last.count("tally_inflight_batches");
            report.totals.add(last, false);
        }
        report.killedPid = e.pid();
        e.kill9();
        report.killAtS = seconds(System.nanoTime());
        last = null;
        if (faults != null)
        {
            faults.loseNextAck();
            report.ackArmed = true;
        }
        engine.start();
        report.restartedPid = e.pid();
        out.printf(Locale.ROOT, "demo: t=%.1fs kill -9 of the engine (pid %d) %s; %srestarted it (pid %d)%n",
            report.killAtS, report.killedPid,
            report.killHeld == null ? "with " + report.inFlightAtKill + " batch(es) not yet acknowledged" :
                report.killHeld ? "while ClickHouse holds one of its inserts" : "(no insert came to hold)",
            report.ackArmed ? "armed ClickHouse to drop the acknowledgement of the next insert; " : "",
            report.restartedPid);
    }

    private boolean caughtUp(final LagProbe probe)
    {
        final long[] sample = probe.sample();
        return sample != null && sample[0] >= settings.events() && sample[1] >= sample[0];
    }

    private void progress(final long now, final LagProbe probe)
    {
        final long[] sample = probe.sample();
        final EngineMetricsScrape s = last;
        final String engineText = s == null ? "engine not answering yet (starting)" : String.format(Locale.ROOT,
            "engine lag %,d records, %,d rows in %,d inserts, e2e p99 (last 10 s) %s",
            (long)s.sum("tally_kafka_lag_records"),
            EngineTotals.sum(report.totals, s, "tally_rows_inserted_total"),
            EngineTotals.sum(report.totals, s, "tally_batches_inserted_total"), seconds(s.latencySeconds("total", "0.99")));
        out.printf(Locale.ROOT, "demo: t=%.0fs produced %s of %,d; %s%n", seconds(now),
            sample == null ? "?" : String.format(Locale.ROOT, "%,d", sample[0]), settings.events(), engineText);
    }

    private double seconds(final long nanoTime)
    {
        return (nanoTime - flowStart) / 1e9;
    }

    private static String seconds(final double s)
    {
        return Double.isNaN(s) ? "-" : DemoReport.duration(Math.round(s * 1000));
    }
}
