package dev.tally.chaos;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one chaos run did and found: faults by type, recoveries and their times, and the verify summary
 * (duplicates and loss on both read paths, side output expected and found). Printed as text and as one row of the
 * table in docs/chaos.md.
 */
final class ChaosReport
{
    static final String TABLE_HEADER =
        "| date | scenarios | events | rate/s | faults | insert faults fired (fail / lost ack / slow) | " +
        "engine starts | recovery median / max | duplicates | loss | late exp / found | malformed exp / found | " +
        "verify | wall |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private static final String[] INSERT_FAULTS = {"fail_before_apply", "lose_ack", "latency"};
    private long inserts;

    private final ChaosSettings settings;
    private final Map<String, Integer> faults = new LinkedHashMap<>();
    private final List<Long> faultInstants = new ArrayList<>();
    private final long[] insertFaultsFired = new long[INSERT_FAULTS.length];
    private final Map<Integer, Integer> supervisorRestarts = new LinkedHashMap<>();
    private List<Duration> recoveries = List.of();
    private Properties verify = new Properties();
    private int engineStarts;
    private Duration elapsed = Duration.ZERO;

    ChaosReport(final ChaosSettings settings)
    {
        this.settings = settings;
    }

    static String names(final Set<Scenario> scenarios)
    {
        return scenarios.stream().map(Scenario::flag).collect(Collectors.joining(","));
    }

    void fault(final String label, final long nanoTime)
    {
        faults.merge(label, 1, Integer::sum);
        faultInstants.add(nanoTime);
    }

    List<Long> faultInstants()
    {
        return faultInstants;
    }

    /** Adds the fired counters of one ClickHouse server life (its status text) to the totals. */
    void insertFaults(final String status)
    {
        for (final String line : status.split("\n"))
        {
            if (line.startsWith("inserts="))
            {
                inserts += Long.parseLong(line.substring("inserts=".length()).strip());
            }
            for (int i = 0; i < INSERT_FAULTS.length; i++)
            {
                final String key = INSERT_FAULTS[i] + "_fired=";
                if (line.startsWith(key))
                {
                    insertFaultsFired[i] += Long.parseLong(line.substring(key.length()).strip());
                }
            }
        }
    }

    /** The engine had exited on its own with {@code status} and was started again. */
    void supervisorRestart(final String engine, final int status)
    {
        supervisorRestarts.merge(status, 1, Integer::sum);
    }

    private String supervisorText()
    {
        return supervisorRestarts.isEmpty() ? "" : " (" + supervisorRestarts.entrySet().stream()
            .map(e -> e.getValue() + " after exit " + e.getKey()).collect(Collectors.joining(", ")) +
            " restarted by the supervisor)";
    }

    void recoveries(final List<Duration> times)
    {
        this.recoveries = times;
    }

    void verify(final Properties summary)
    {
        this.verify = summary;
    }

    void engineStarts(final int starts)
    {
        this.engineStarts = starts;
    }

    void elapsed(final Duration elapsed)
    {
        this.elapsed = elapsed;
    }

    /** Verify matched exactly and found nothing counted twice or lost. */
    boolean exact()
    {
        return "0".equals(verify.getProperty("exit")) && duplicates() == 0 && loss() == 0;
    }

    int verifyExit()
    {
        return Integer.parseInt(verify.getProperty("exit", "1"));
    }

    long duplicates()
    {
        return sum("duplicates");
    }

    long loss()
    {
        return sum("loss");
    }

    /** Insert faults the ClickHouse server fired, all kinds, over all its lives. */
    long insertFaultsFired()
    {
        long n = 0;
        for (final long f : insertFaultsFired)
        {
            n += f;
        }
        return n;
    }

    /** The side-output count verify expected for {@code reason} and the one it found, as "expected / found". */
    String sideOutput(final String reason)
    {
        return pair("expected." + reason, "late_events." + reason);
    }

    long faultCount()
    {
        return faults.values().stream().mapToLong(Integer::longValue).sum();
    }

    private long sum(final String what)
    {
        return number("final-view." + what) + number("argmax-version." + what);
    }

    private long number(final String key)
    {
        final String v = verify.getProperty(key);
        return v == null ? -1_000_000_000L : Long.parseLong(v.strip());
    }

    private String pair(final String expected, final String found)
    {
        return verify.getProperty(expected, "?") + " / " + verify.getProperty(found, "?");
    }

    private String recovery()
    {
        final List<Long> ms = recoveries.stream().filter(Objects::nonNull).map(Duration::toMillis).sorted().toList();
        final long unrecovered = recoveries.stream().filter(Objects::isNull).count();
        if (ms.isEmpty())
        {
            return unrecovered == 0 ? "-" : unrecovered + " not measured";
        }
        return String.format(Locale.ROOT, "%.1fs / %.1fs%s", ms.get(ms.size() / 2) / 1e3, ms.getLast() / 1e3,
            unrecovered == 0 ? "" : " (" + unrecovered + " not measured)");
    }

    private String faultsText()
    {
        return faults.isEmpty() ? "none" : faults.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey())
            .collect(Collectors.joining("; "));
    }

    /** The report as lines of text. */
    String text()
    {
        return String.format(Locale.ROOT, """
            chaos: scenarios %s; %,d events at %,d/s
            chaos: faults: %s
            chaos: inserts %,d; insert faults fired: %d failed before apply, %d acks lost, %d slower than the %s timeout
            chaos: engine starts %d%s; recovery (fault -> committed past the log end at the fault) median / max %s
            chaos: verify exit %s; duplicates %d, loss %d (both read paths); late %s, malformed %s (expected / found)
            chaos: %s in %s
            """,
            names(settings.scenarios()), settings.events(), settings.rate(), faultsText(), inserts,
            insertFaultsFired[0], insertFaultsFired[1], insertFaultsFired[2], settings.insertTimeout(),
            engineStarts, supervisorText(),
            recovery(), verify.getProperty("exit", "?"), duplicates(), loss(),
            pair("expected.late", "late_events.late"), pair("expected.malformed", "late_events.malformed"),
            exact() ? "EXACT" : "NOT EXACT", format(elapsed));
    }

    /** The report as one row of docs/chaos.md's table. */
    String markdownRow()
    {
        return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %s | %d / %d / %d | %d%s | %s | %d | %d | %s | %s | %s | %s |",
            LocalDate.now(ZoneOffset.UTC), names(settings.scenarios()), settings.events(), settings.rate(),
            faultsText(), insertFaultsFired[0], insertFaultsFired[1], insertFaultsFired[2], engineStarts,
            supervisorText(), recovery(),
            duplicates(), loss(), pair("expected.late", "late_events.late"),
            pair("expected.malformed", "late_events.malformed"), exact() ? "exact" : "exit " + verifyExit(),
            format(elapsed));
    }

    private static String format(final Duration d)
    {
        return d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
