package dev.tally.chaos.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.HdrHistogram.Histogram;

/**
 * What one demo did and found, filled in as it goes and printed at the end: events, rows and batches, throughput,
 * end-to-end latency and its parts, side output, the faults and the evidence for them, the recovery time and
 * verify's verdict. Every figure names where it comes from.
 */
final class DemoReport
{
    static final String VERDICT = "demo: exactly-once: ";

    private final DemoSettings settings;
    String where = "";
    long flowNanos;
    long caughtUpNanos;
    /** Seconds into the flow of the SIGKILL, -1 before it. */
    double killAtS = -1;
    long killedPid;
    long restartedPid;
    /** True: ClickHouse held the engine's insert at the kill; false: none came to hold; null: no fault endpoint. */
    Boolean killHeld;
    long inFlightAtKill;
    /** Why no ClickHouse fault could be injected, or null when the local server's fault endpoint was used. */
    String noFaults;
    boolean ackArmed;
    boolean ackLost;
    double ackLostAtS;
    /** The held insert of the killed engine was let go and the server finished it (stalled_now back to 0). */
    boolean heldReleased;
    /** The restarted engine's journal re-sends and insert retries, from its last scrape. */
    long resent;
    long retries;
    Duration recovery;
    int unexpectedRestarts;
    EngineTotals totals = new EngineTotals();
    LatencyMerge latency;
    Properties verify = new Properties();
    String verifyVerdict = "";
    long wallNanos;

    DemoReport(final DemoSettings settings)
    {
        this.settings = settings;
    }

    /** Verify exited 0 and found nothing counted twice and nothing lost on either read path. */
    boolean exact()
    {
        return "0".equals(verify.getProperty("exit")) && number("final-view.duplicates") == 0 &&
            number("final-view.loss") == 0 && number("argmax-version.duplicates") == 0 &&
            number("argmax-version.loss") == 0;
    }

    List<String> lines()
    {
        final List<String> l = new ArrayList<>();
        final long events = number("records") >= 0 ? number("records") : settings.events();
        l.add(row("events", String.format(Locale.ROOT, "%,d produced in %s (%,.0f/s paced) into %s; 1M accounts " +
            "(Zipf), 5 %% JSON, 0.01 %% malformed, 2 %% late by 3 s to 10 min, out of order by up to 1 s", events,
            duration(flowNanos / 1_000_000), events / Math.max(flowNanos / 1e9, 1e-9), where)));
        l.add(row("rows", String.format(Locale.ROOT, "%,d rows acknowledged in %,d inserts by %d engine processes%s; %s",
            totals.sum("tally_rows_inserted_total"), totals.sum("tally_batches_inserted_total"), totals.processes(),
            totals.approximate() == 0 ? "" : " (" + totals.approximate() + " counted to its last scrape only)",
            totals.batchSizes())));
        l.add(row("", String.format(Locale.ROOT, "in ClickHouse after deduplication: %,d minute + %,d hour rollup " +
            "rows, %,d late_events rows (verify's count)", number("expected.rows.minute"), number("expected.rows.hour"),
            number("late_events.rows"))));
        final long consumed = totals.sum("tally_records_consumed_total");
        l.add(row("throughput", String.format(Locale.ROOT, "all events in ClickHouse %s after the first was sent: " +
            "%,.0f events/s end to end; the engine read %,d records, %,d of them again after the kill (replay)",
            duration(caughtUpNanos / 1_000_000), events / Math.max(caughtUpNanos / 1e9, 1e-9), consumed,
            Math.max(0, consumed - events))));
        l.addAll(latencyLines());
        l.add(row("late, malformed", String.format(Locale.ROOT, "beyond the 30 s allowed lateness: %s side-output " +
            "entries expected (one per record and window), %s in late_events; malformed: %s expected, %s found",
            text("expected.late"), text("late_events.late"), text("expected.malformed"), text("late_events.malformed"))));
        l.add(row("kill -9", killText()));
        l.add(row("lost ack", lostAckText()));
        l.add(row("recovery", recovery == null ? "no kill" : String.format(Locale.ROOT, "%s from the SIGKILL until the " +
            "group's committed positions covered every record in the log at the kill (JVM start, rejoin after the " +
            "killed member's 6 s session timeout, journal re-send, replay from the last commit)",
            duration(recovery.toMillis()))));
        if (unexpectedRestarts > 0)
        {
            l.add(row("restarts", unexpectedRestarts + " engine exit(s) on its own, restarted as a supervisor would " +
                "(see the engine log)"));
        }
        l.add(VERDICT + (exact() ? verifyVerdict : String.format(Locale.ROOT, "NOT EXACT (verify exit %s; " +
            "duplicates %d / %d, loss %d / %d on the final-view / argmax-version paths; verify's diff is above)",
            verify.getProperty("exit", "?"), number("final-view.duplicates"), number("argmax-version.duplicates"),
            number("final-view.loss"), number("argmax-version.loss"))));
        l.add(row("wall time", duration(wallNanos / 1_000_000)));
        return l;
    }

    private String killText()
    {
        if (killAtS < 0)
        {
            return "not done";
        }
        final String when = String.format(Locale.ROOT, "t=%.1fs, engine pid %d, ", killAtS, killedPid);
        final String how;
        if (killHeld == null)
        {
            how = String.format(Locale.ROOT, "with %d batch(es) cut and not yet acknowledged (tally_inflight_batches; " +
                "without the local server's fault endpoint the demo cannot tell whether one was on the wire)",
                inFlightAtKill);
        }
        else if (killHeld)
        {
            how = "while ClickHouse held one of its inserts (the server had read the whole batch and not answered: " +
                "stalled_now=1 just before the signal)";
        }
        else
        {
            how = "but no insert reached ClickHouse within 30 s to be held, so none was provably in flight";
        }
        return when + how + (resent == 0 ? String.format(Locale.ROOT, "; the restarted engine (pid %d) had no " +
            "journaled batch to re-send (none was prepared and unacknowledged at the kill)", restartedPid) :
            String.format(Locale.ROOT, "; the restarted engine (pid %d) re-sent %d journaled batch(es) of the killed " +
                "one, byte-identical under the same token (tally_journal_resent_batches_total)", restartedPid, resent));
    }

    private String lostAckText()
    {
        if (noFaults != null)
        {
            return "not injected: " + noFaults;
        }
        if (!ackArmed)
        {
            return "not injected";
        }
        if (!ackLost)
        {
            return "armed after the kill, but no insert came to lose the ack of; disarmed";
        }
        return String.format(Locale.ROOT, "t=%.1fs, the restarted engine's first insert%s was applied and its " +
            "connection dropped without an answer (lose_ack_fired=1); the engine sent it again (%d insert retries, " +
            "tally_insert_retries_total)%s", ackLostAtS, resent > 0 ? " (that re-send)" : "", retries,
            !Boolean.TRUE.equals(killHeld) ? "" : heldReleased ? "; then the held original was let go and the " +
                "server applied it after its sender had died (stalled_now back to 0): three copies of one batch " +
                "under one token, and verify below finds each row once" : "; the held original was let go");
    }

    private List<String> latencyLines()
    {
        final List<String> l = new ArrayList<>();
        if (latency == null || latency.part("total").getTotalCount() == 0)
        {
            l.add(row("latency", "no latency recorded"));
            return l;
        }
        l.add(row("latency", "per record, from its Kafka timestamp (the generator's scheduled send time) to the " +
            "ack of the insert that made its rows visible = emit wait (to the emit tick that put its rows out: " +
            "Kafka, the ring, the 1 s emit interval; the recovery for records the kill caught) + queue wait (to " +
            "the batch's first insert attempt) + insert (to the ack)"));
        if (latency.logs() > 1)
        {
            l.add(row("", "before the kill: " + latencyText(latency::firstProcess)));
        }
        l.add(row("", (latency.logs() > 1 ? "whole run:       " : "") + latencyText(latency::part)));
        return l;
    }

    private static String latencyText(final java.util.function.Function<String, Histogram> parts)
    {
        final Histogram total = parts.apply("total");
        final Histogram emit = parts.apply("emit_wait");
        final Histogram queue = parts.apply("queue_wait");
        final Histogram insert = parts.apply("insert");
        if (total.getTotalCount() == 0)
        {
            return "no records";
        }
        // Means add up (the parts of a record sum to its total); percentiles of the parts do not.
        final double share = (emit.getMean() + queue.getMean()) / Math.max(total.getMean(), 1e-9);
        return String.format(Locale.ROOT, "%,d records, p50 %s, p99 %s, p99.9 %s, max %s; parts p50 / p99: emit " +
            "wait %s / %s, queue wait %s / %s, insert %s / %s; batching share %.0f %% (mean emit wait + mean queue " +
            "wait over the mean total: %s + %s of %s)", total.getTotalCount(), ms(total, 50), ms(total, 99),
            ms(total, 99.9), duration(total.getMaxValue()), ms(emit, 50), ms(emit, 99), ms(queue, 50), ms(queue, 99),
            ms(insert, 50), ms(insert, 99), 100 * share, durationMs(emit.getMean()), durationMs(queue.getMean()),
            durationMs(total.getMean()));
    }

    private static String ms(final Histogram h, final double percentile)
    {
        return duration(h.getValueAtPercentile(percentile));
    }

    private long number(final String key)
    {
        final String v = verify.getProperty(key);
        return v == null ? -1 : Long.parseLong(v.strip());
    }

    private String text(final String key)
    {
        final long n = number(key);
        return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String row(final String label, final String text)
    {
        return String.format(Locale.ROOT, "demo: %-16s %s", label, text);
    }

    private static String durationMs(final double ms)
    {
        return duration(Math.round(ms));
    }

    /** 812 ms, 1.9 s, 2m 05s. */
    static String duration(final long ms)
    {
        if (ms < 1_000)
        {
            return ms + " ms";
        }
        if (ms < 60_000)
        {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%dm %02ds", ms / 60_000, ms / 1000 % 60);
    }
}
