package dev.tally.chaos;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tally.gen.GenMain;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.Fault;
import dev.tally.stack.clickhouse.LocalClickHouse;
import dev.tally.stack.kafka.LocalKafka;
import dev.tally.verify.VerifyMain;

/**
 * Runs one chaos run: a fresh local stack in the work directory, the generator producing at a paced rate, one
 * engine instance (two during rebalances), the scenarios' faults at seeded random moments of the flow, then, once
 * the generator is done, {@code ./tally verify --wait} (insert faults stay armed until the engine has caught up). Everything it started it stops,
 * by pid, whatever happens.
 */
final class ChaosRun
{
    static final String TOPIC = "chaos";
    static final String GROUP = "chaos";
    static final String DATABASE = "chaos";

    private final ChaosSettings settings;
    private final PrintStream out;
    private final SplittableRandom random;
    private final ChaosReport report;
    // What is running, for the shutdown hook: a chaos run stopped with SIGTERM or Ctrl-C leaves no process behind.
    private final List<EngineInstance> engines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile LocalKafka runningKafka;
    private volatile ServiceProcess runningClickHouse;

    ChaosRun(final ChaosSettings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
        this.random = new SplittableRandom(settings.seed());
        this.report = new ChaosReport(settings);
    }

    ChaosReport run() throws Exception
    {
        final int brokers = settings.has(Scenario.BROKER_LOSS) ? 3 : 1;
        final long started = System.nanoTime();
        out.printf("chaos: %s; %,d events at %,d/s into %d partitions, %d broker(s); work dir %s%n",
            ChaosReport.names(settings.scenarios()), settings.events(), settings.rate(), settings.partitions(),
            brokers, settings.dir());
        final Thread hook = new Thread(this::stopEverything, "chaos-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final LocalKafka kafka = LocalKafka.start(brokers, settings.dir().resolve("kafka"));
        runningKafka = kafka;
        ServiceProcess clickhouse = null;
        try
        {
            final LocalClickHouse.Options options = LocalClickHouse.Options.defaults().withFaults();
            clickhouse = LocalClickHouse.start("clickhouse-chaos", Ports.freePort(), settings.dir().resolve("ch"),
                settings.dir().resolve("clickhouse.log"), options);
            runningClickHouse = clickhouse;
            kafka.createTopic(TOPIC, settings.partitions(), brokers);
            final List<String> engineArgs = List.of("--bootstrap", kafka.bootstrap(), "--topic", TOPIC,
                "--group", GROUP, "--database", DATABASE, "--clickhouse-url", clickhouse.endpoint(),
                "--dlq-topic", "", "--insert-timeout", settings.insertTimeout().toMillis() + "ms",
                "--session-timeout", "6s", "--emit-interval", "500ms", "--batch-max-wait", "500ms",
                "--batch-rows", "20000", "--metrics-address", "127.0.0.1:0");
            final EngineInstance a = new EngineInstance("engine-a", engineArgs, settings.dir());
            final EngineInstance b = new EngineInstance("engine-b", engineArgs, settings.dir());
            engines.add(a);
            engines.add(b);
            a.start();
            armInsertFaults(clickhouse);

            final LagSampler lag = LagSampler.start(kafka.bootstrap(), TOPIC, GROUP, settings.partitions());
            final AtomicInteger genExit = new AtomicInteger(-1);
            final Thread generator = Thread.ofPlatform().name("chaos-gen").daemon().start(() -> genExit.set(
                GenMain.run("--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--partitions",
                    Integer.toString(settings.partitions()), "--replication-factor", Integer.toString(brokers),
                    "--events", Long.toString(settings.events()), "--rate", Integer.toString(settings.rate()),
                    "--seed", Long.toString(settings.seed()), "--accounts", "200000", "--late-fraction", "0.02",
                    "--malformed-fraction", "0.001", "--json-fraction", "0.05", "--progress-interval", "1h")));
            final long flowStart = System.nanoTime();
            try
            {
                for (final Action action : schedule())
                {
                    supervise(a, flowStart + (long)(action.atSeconds() * 1e9), null);
                    clickhouse = perform(action, a, b, kafka, clickhouse, options, lag);
                    runningClickHouse = clickhouse;
                }
                supervise(a, System.nanoTime() + TimeUnit.SECONDS.toNanos((long)(settings.flowSeconds() * 3) + 300),
                    generator);
                if (generator.isAlive() || genExit.get() != 0)
                {
                    throw new IllegalStateException("the generator did not finish (exit " + genExit.get() + ")");
                }
                b.stop();
                supervise(a, System.nanoTime(), null);
                // Insert faults stay armed while the engine catches up: most inserts of a lagging engine come now.
                report.verify(verify(kafka, clickhouse));
                report.insertFaults(LocalClickHouse.status(clickhouse.port()));
                LocalClickHouse.clearFaults(clickhouse.port());
                report.recoveries(lag.recoveryTimes(report.faultInstants()));
            }
            finally
            {
                lag.close();
            }
            report.engineStarts(a.starts() + b.starts());
            report.elapsed(Duration.ofNanos(System.nanoTime() - started));
            return report;
        }
        finally
        {
            stopEverything();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException e)
            {
                // the JVM is already shutting down: the hook runs, and finds nothing left to stop
            }
        }
    }

    /** Stops the engines, ClickHouse and Kafka by pid; idempotent, also run by the shutdown hook. */
    private void stopEverything()
    {
        engines.forEach(EngineInstance::stop);
        final ServiceProcess clickhouse = runningClickHouse;
        final LocalKafka kafka = runningKafka;
        runningClickHouse = null;
        runningKafka = null;
        try
        {
            if (clickhouse != null)
            {
                LocalClickHouse.stop(clickhouse);
            }
        }
        finally
        {
            if (kafka != null)
            {
                kafka.close();
            }
        }
    }

    /** The faults in time order; times in seconds since the generator started, inside the first 85 % of the flow. */
    List<Action> schedule()
    {
        final double flow = settings.flowSeconds();
        final List<Action> actions = new ArrayList<>();
        if (settings.has(Scenario.KILLS))
        {
            for (int i = 0; i < settings.kills(); i++)
            {
                actions.add(new Action(at(flow), i % 3 == 2 ? Action.Kind.KILL_TWICE : Action.Kind.KILL));
            }
        }
        if (settings.has(Scenario.CLICKHOUSE_RESTART))
        {
            for (int i = 0; i < settings.clickhouseRestarts(); i++)
            {
                actions.add(new Action(at(flow), Action.Kind.CLICKHOUSE_RESTART));
            }
        }
        if (settings.has(Scenario.BROKER_RESTART))
        {
            actions.add(new Action(at(flow), Action.Kind.BROKER_RESTART));
        }
        if (settings.has(Scenario.BROKER_LOSS))
        {
            actions.add(new Action(at(flow), Action.Kind.BROKER_LOSS));
        }
        if (settings.has(Scenario.REBALANCE))
        {
            for (int i = 0; i < settings.rebalances(); i++)
            {
                actions.add(new Action(at(flow), i % 2 == 0 ? Action.Kind.JOIN_LEAVE : Action.Kind.JOIN_KILL));
            }
        }
        actions.sort(Comparator.comparingDouble(Action::atSeconds));
        return actions;
    }

    private double at(final double flow)
    {
        return flow * (0.1 + 0.75 * random.nextDouble());
    }

    private ServiceProcess perform(final Action action, final EngineInstance a, final EngineInstance b,
        final LocalKafka kafka, final ServiceProcess clickhouse, final LocalClickHouse.Options options,
        final LagSampler lag) throws InterruptedException
    {
        out.printf("chaos: t=%.1fs %s%n", action.atSeconds(), action.kind().label());
        switch (action.kind())
        {
            case KILL, KILL_TWICE ->
            {
                report.fault(action.kind().label(), System.nanoTime());
                a.kill9();
                a.start();
                if (action.kind() == Action.Kind.KILL_TWICE)
                {
                    TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(1500));
                    report.fault("kill during recovery", System.nanoTime());
                    a.kill9();
                    a.start();
                }
                return clickhouse;
            }
            case CLICKHOUSE_RESTART ->
            {
                report.insertFaults(LocalClickHouse.status(clickhouse.port()));
                report.fault(action.kind().label(), System.nanoTime());
                dev.tally.stack.Pids.kill9(clickhouse.pid());
                final ServiceProcess restarted = LocalClickHouse.restart(clickhouse, options);
                armInsertFaults(restarted);
                return restarted;
            }
            case BROKER_RESTART ->
            {
                report.fault(action.kind().label(), System.nanoTime());
                kafka.kill9(0);
                kafka.restart(0, Duration.ofSeconds(90));
                return clickhouse;
            }
            case BROKER_LOSS ->
            {
                report.fault(action.kind().label(), System.nanoTime());
                kafka.kill9(1);
                TimeUnit.SECONDS.sleep(10);
                kafka.restart(1, Duration.ofSeconds(90));
                return clickhouse;
            }
            case JOIN_LEAVE, JOIN_KILL ->
            {
                report.fault(action.kind().label(), System.nanoTime());
                b.start();
                TimeUnit.MILLISECONDS.sleep(4_000 + random.nextInt(4_000));
                if (action.kind() == Action.Kind.JOIN_KILL)
                {
                    b.kill9();
                }
                else
                {
                    b.stop();
                }
                return clickhouse;
            }
            default -> throw new IllegalStateException("unknown action " + action);
        }
    }

    private void armInsertFaults(final ServiceProcess clickhouse)
    {
        if (settings.has(Scenario.INSERT_FAULTS) && settings.insertFailRate() > 0)
        {
            final double each = settings.insertFailRate() / 3;
            final Duration slow = settings.insertTimeout().plusSeconds(1);
            LocalClickHouse.injectFaultRate(clickhouse.port(), Fault.FAIL_BEFORE_APPLY, each, Duration.ZERO);
            LocalClickHouse.injectFaultRate(clickhouse.port(), Fault.LOSE_ACK, each, Duration.ZERO);
            LocalClickHouse.injectFaultRate(clickhouse.port(), Fault.LATENCY, each, slow);
        }
    }

    private Properties verify(final LocalKafka kafka, final ServiceProcess clickhouse) throws Exception
    {
        final Path summary = settings.dir().resolve("verify-summary.properties");
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8))
        {
            exit = VerifyMain.run(ps, ps, "--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--group", GROUP,
                "--clickhouse-url", clickhouse.endpoint(), "--database", DATABASE, "--wait", "--wait-timeout", "10m",
                "--summary", summary.toString());
        }
        final String output = text.toString(StandardCharsets.UTF_8);
        Files.writeString(settings.dir().resolve("verify.txt"), output, StandardCharsets.UTF_8);
        out.print(output);
        final Properties p = new Properties();
        if (Files.exists(summary))
        {
            try (Reader r = Files.newBufferedReader(summary, StandardCharsets.UTF_8))
            {
                p.load(r);
            }
        }
        p.setProperty("exit", Integer.toString(exit));
        return p;
    }

    /**
     * Waits until {@code deadline} (or until {@code thread} ends), restarting the engine whenever it has exited on
     * its own, as a service supervisor would: an engine started while a broker or ClickHouse is down exits with a
     * one-line error, and that is a fault of the run, not of exactly-once. Each such restart is reported.
     */
    private void supervise(final EngineInstance engine, final long deadline, final Thread thread)
        throws InterruptedException
    {
        do
        {
            if (!engine.alive())
            {
                report.supervisorRestart(engine.name(), engine.exitStatus());
                engine.start();
            }
            if (thread != null && !thread.isAlive())
            {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(Math.max(0, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
        }
        while (System.nanoTime() - deadline < 0);
    }
}
