package dev.tally.chaos.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import dev.tally.verify.VerifyMain;

/**
 * One {@code ./tally demo}: the stack, a clean slate, the engine, the flow with its faults ({@link DemoFlow}),
 * verify, the report, and what is left running. Everything the demo starts is stopped by pid: at the end with
 * {@code --down}, by {@code ./tally stack down} otherwise (the engine is recorded in the stack's state), and by a
 * shutdown hook when the demo is interrupted.
 */
final class Demo
{
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(3);

    private final DemoSettings settings;
    private final PrintStream out;

    Demo(final DemoSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the demo; true when verify found ClickHouse exactly equal to the topic. */
    boolean run() throws Exception
    {
        final long started = System.nanoTime();
        final DemoReport report = new DemoReport(settings);
        out.printf("demo: %,d events at %,d/s through Kafka -> tally run -> ClickHouse; mid-run the engine is " +
            "killed with SIGKILL while an insert is in flight and an insert's acknowledgement is lost; then an exact " +
            "verify and a report%n", settings.events(), settings.rate());
        out.println(DemoEstimate.text(settings, settings.external() || DemoStack.up(settings.varDir())));
        final DemoStack stack = settings.external() ? DemoStack.external(settings) : DemoStack.local(settings, out);
        stack.stopPreviousEngine(out);
        final DemoNames names = settings.keepData() ? DemoNames.ofRun(Instant.now()) : DemoNames.shared();
        final Path workDir = settings.varDir().resolve("demo").resolve(names.topic());
        if (!settings.keepData())
        {
            DemoReset.clear(stack.bootstrap(), stack.clickhouseUrl(), names, workDir, out);
        }
        Files.createDirectories(workDir);
        DemoReset.createTopic(stack.bootstrap(), names.topic());
        report.where = "topic " + names.topic() + " (" + DemoSettings.PARTITIONS + " partitions) at " + stack.bootstrap();
        report.noFaults = noFaultsReason(stack);
        final InsertFaults faults = stack.faults() ? new InsertFaults(stack.clickhousePort()) : null;
        if (report.noFaults != null)
        {
            out.println("demo: no ClickHouse faults in this run: " + report.noFaults);
        }
        final DemoEngine engine = new DemoEngine(engineArgs(stack, names), workDir, stack,
            DemoEngine.metricsPort(stack.local() && !settings.privateStack()));
        final Thread hook = new Thread(() -> interrupted(engine, faults), "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean done = false;
        try
        {
            engine.start();
            out.println("demo: engine started (pid " + engine.instance().pid() + ", log " + engine.instance().log() +
                "); waiting for it to join group " + names.group() + "...");
            engine.awaitAssigned(stack.bootstrap(), names.group(), JOIN_TIMEOUT);
            out.println("demo: engine running; dashboard at " + engine.dashboardUrl());
            final DemoFlow flow = new DemoFlow(settings, names, stack, engine, faults, report, out);
            flow.run();
            verify(stack, names, workDir, report);
            final EngineMetricsScrape last = EngineMetricsScrape.of(engine.metricsUrl()).orElse(flow.lastScrape());
            if (last != null)
            {
                report.totals.add(last, true);
                report.resent = last.count("tally_journal_resent_batches_total");
                report.retries = last.count("tally_insert_retries_total");
            }
            report.latency = LatencyMerge.read(engine.instance().latencyDir());
            final Path reportDir = workDir.resolve("report");
            final Path hgrm = report.latency.writePercentiles(reportDir);
            report.wallNanos = System.nanoTime() - started;
            final List<String> lines = report.lines();
            out.println("demo: ------------------------------------------------------------------------- report");
            lines.forEach(out::println);
            Files.write(reportDir.resolve("report.txt"), lines, StandardCharsets.UTF_8);
            where(engine, hgrm, workDir, reportDir);
            finish(stack, engine, names);
            done = true;
            return report.exact();
        }
        finally
        {
            if (!done)
            {
                interrupted(engine, faults);
                if (settings.down() && stack.startedHere())
                {
                    stack.down(out);
                }
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException e)
            {
                // the JVM is shutting down: the hook runs and finds the engine stopped
            }
        }
    }

    private List<String> engineArgs(final DemoStack stack, final DemoNames names)
    {
        return List.of("--bootstrap", stack.bootstrap(), "--topic", names.topic(), "--group", names.group(),
            "--database", names.database(), "--clickhouse-url", stack.clickhouseUrl(), "--dlq-topic",
            names.deadLetterTopic(), "--session-timeout", "6s");
    }

    private static String noFaultsReason(final DemoStack stack)
    {
        if (stack.faults())
        {
            return null;
        }
        if (!stack.local())
        {
            return "ClickHouse is your own (--clickhouse-url) and the demo injects faults only through the local " +
                "server's fault endpoint";
        }
        if (stack.clickhousePort() < 0)
        {
            return "the stack uses ClickHouse at " + stack.clickhouseUrl() + ", not the local server";
        }
        return "the running stack's ClickHouse serves no fault endpoint (started by ./tally stack up); " +
            "./tally stack down, then ./tally demo starts one that does";
    }

    private void verify(final DemoStack stack, final DemoNames names, final Path workDir, final DemoReport report)
        throws IOException
    {
        out.printf("demo: verify: re-reading the topic and recomputing every rollup independently, then comparing " +
            "with ClickHouse (~%s)%n", DemoReport.duration(settings.events() * 1000 / DemoEstimate.VERIFY_EVENTS_PER_S));
        final Path summary = workDir.resolve("verify-summary.properties");
        final Path text = workDir.resolve("verify.txt");
        final int exit;
        try (OutputStream file = Files.newOutputStream(text);
            PrintStream tee = new PrintStream(new Tee(out, file), true, StandardCharsets.UTF_8))
        {
            exit = VerifyMain.run(tee, tee, "--bootstrap", stack.bootstrap(), "--topic", names.topic(), "--group",
                names.group(), "--clickhouse-url", stack.clickhouseUrl(), "--database", names.database(),
                "--clickhouse-user", System.getenv().getOrDefault("TALLY_CLICKHOUSE_USER", "default"), "--wait",
                "--wait-timeout", "10m", "--summary", summary.toString());
        }
        final Properties p = new Properties();
        if (Files.exists(summary))
        {
            try (var r = Files.newBufferedReader(summary, StandardCharsets.UTF_8))
            {
                p.load(r);
            }
        }
        p.setProperty("exit", Integer.toString(exit));
        report.verify = p;
        report.verifyVerdict = Files.readAllLines(text, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("verify: EXACT MATCH")).map(l -> l.substring("verify: ".length()))
            .findFirst().orElse("");
    }

    private void where(final DemoEngine engine, final Path hgrm, final Path workDir, final Path reportDir)
    {
        out.println("demo: latency report   " + hgrm + " (the whole run, all engine processes; the parts' .hgrm " +
            "next to it; per-process interval logs in " + engine.instance().latencyDir() + ")");
        out.println("demo: files            engine log " + engine.instance().log() + ", verify output " +
            workDir.resolve("verify.txt") + ", this report " + reportDir.resolve("report.txt"));
    }

    /** Leaves the stack and the engine running for inspection, or stops what the demo started. */
    private void finish(final DemoStack stack, final DemoEngine engine, final DemoNames names)
    {
        if (!stack.local())
        {
            engine.stop();
            out.println("demo: stopped the engine; nothing of the demo keeps running on your services (database " +
                names.database() + ", topics " + names.topic() + " and " + names.deadLetterTopic() + " are kept)");
            return;
        }
        if (settings.down())
        {
            engine.stop();
            if (stack.startedHere())
            {
                stack.down(out);
                out.println("demo: stopped the engine and the stack the demo started; data kept under " +
                    settings.varDir());
            }
            else
            {
                out.println("demo: stopped the engine; the stack was up before the demo and stays up (stop it with " +
                    stack.stopCommand() + ")");
            }
            return;
        }
        out.println("demo: dashboard        " + engine.dashboardUrl() + " (the engine, pid " + engine.instance().pid() +
            ", keeps running for inspection: live rates, lag and latency)");
        out.println("demo: left running     kafka " + stack.bootstrap() + " (topic " + names.topic() + "), clickhouse " +
            stack.clickhouseUrl() + " (database " + names.database() + "), the engine; stop them all with: " +
            stack.stopCommand());
    }

    /** The demo was interrupted or failed: its engine is stopped by pid, and no fault stays armed. */
    private static void interrupted(final DemoEngine engine, final InsertFaults faults)
    {
        try
        {
            if (faults != null)
            {
                faults.clear();
            }
        }
        catch (final RuntimeException e)
        {
            // ClickHouse is gone as well; nothing is armed on a server that does not run
        }
        engine.stop();
    }

    /** Writes to the console and to a file. */
    private static final class Tee extends OutputStream
    {
        private final OutputStream a;
        private final OutputStream b;

        Tee(final OutputStream a, final OutputStream b)
        {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(final int c) throws IOException
        {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(final byte[] bytes, final int off, final int len) throws IOException
        {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException
        {
            a.flush();
            b.flush();
        }
    }
}
