package dev.tally.chaos.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.tally.stack.LocalStack;
import dev.tally.stack.Pids;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.StackException;
import dev.tally.stack.StackOptions;
import dev.tally.stack.StackState;
import dev.tally.stack.TallyHome;
import dev.tally.stack.clickhouse.LocalClickHouse;

/**
 * Where the demo's events go: the persistent local stack that {@code ./tally stack up} manages (used when it is up,
 * else started the same way, on the default ports when they are free), or the user's own Kafka and ClickHouse.
 * On the local stack the engine the demo leaves running is recorded in the stack's state file, so
 * {@code ./tally stack down} stops it by pid with the rest.
 */
final class DemoStack
{
    static final String ENGINE = "engine-demo";

    private final Path varDir;
    private final String bootstrap;
    private final String clickhouseUrl;
    private final int clickhousePort;
    private final boolean faults;
    private final boolean startedHere;

    private DemoStack(final Path varDir, final String bootstrap, final String clickhouseUrl, final int clickhousePort,
        final boolean faults, final boolean startedHere)
    {
        this.varDir = varDir;
        this.bootstrap = bootstrap;
        this.clickhouseUrl = clickhouseUrl;
        this.clickhousePort = clickhousePort;
        this.faults = faults;
        this.startedHere = startedHere;
    }

    /** True when the state file names a stack whose Kafka and ClickHouse processes all still run. */
    static boolean up(final Path varDir)
    {
        return StackState.read(varDir).map(s -> s.services().stream().filter(DemoStack::core)
            .allMatch(ServiceProcess::ours)).orElse(false);
    }

    /** The user's services: nothing is started, nothing is disturbed. */
    static DemoStack external(final DemoSettings settings)
    {
        return new DemoStack(null, settings.bootstrap(), settings.clickhouseUrl(), -1, false, false);
    }

    /** The local stack in {@code settings.varDir()}: the running one, or a new one started like {@code stack up}. */
    static DemoStack local(final DemoSettings settings, final PrintStream out)
    {
        final Path varDir = settings.varDir();
        final boolean wasUp = up(varDir);
        final StackState state;
        if (wasUp)
        {
            state = StackState.read(varDir).orElseThrow();
            out.println("demo: using the local stack that is up: kafka " + state.bootstrap() + ", clickhouse " +
                state.clickhouseUrl());
        }
        else
        {
            final StackOptions options = options(settings.privateStack());
            out.printf("demo: starting the local stack (kafka 127.0.0.1:%d, clickhouse http://127.0.0.1:%d; " +
                "data under %s)...%n", options.kafkaPort, options.clickhousePort, varDir);
            final LocalStack.Result result = LocalStack.up(varDir, options, out);
            state = result.state();
            out.println("demo: " + result.summary().lines().reduce((a, b) -> b).orElse(""));
        }
        final Optional<ServiceProcess> clickhouse = state.services().stream()
            .filter(p -> p.name().equals("clickhouse")).findFirst();
        final int port = clickhouse.map(ServiceProcess::port).orElse(-1);
        return new DemoStack(varDir, state.bootstrap(), state.clickhouseUrl(), port, port > 0 && faultEndpoint(port),
            !wasUp);
    }

    /** Like {@code stack up}'s defaults, with the ClickHouse fault endpoint; free ports where a default is taken. */
    private static StackOptions options(final boolean freePorts)
    {
        final StackOptions o = new StackOptions();
        o.faultInjection = true;
        if (freePorts || !Ports.isFree(o.kafkaPort) || !Ports.isFree(o.controllerPort))
        {
            o.kafkaPort = Ports.freePort();
            do
            {
                o.controllerPort = Ports.freePort();
            }
            while (o.controllerPort == o.kafkaPort);
        }
        if (freePorts || !Ports.isFree(o.clickhousePort))
        {
            do
            {
                o.clickhousePort = Ports.freePort();
            }
            while (o.clickhousePort == o.kafkaPort || o.clickhousePort == o.controllerPort);
        }
        return o;
    }

    private static boolean faultEndpoint(final int port)
    {
        try
        {
            return LocalClickHouse.status(port).contains("stalled_now=");
        }
        catch (final StackException e)
        {
            return false;
        }
    }

    private static boolean core(final ServiceProcess p)
    {
        return p.name().startsWith("kafka-") || p.name().equals("clickhouse");
    }

    boolean local()
    {
        return varDir != null;
    }

    String bootstrap()
    {
        return bootstrap;
    }

    String clickhouseUrl()
    {
        return clickhouseUrl;
    }

    /** The local ClickHouse server's port, or -1 for ClickHouse the stack does not run. */
    int clickhousePort()
    {
        return clickhousePort;
    }

    /** The local ClickHouse server serves the fault endpoint: an insert can be held, an ack lost. */
    boolean faults()
    {
        return faults;
    }

    boolean startedHere()
    {
        return startedHere;
    }

    /** Stops, by pid, the engine an earlier demo left running on this stack, if it still runs. */
    void stopPreviousEngine(final PrintStream out)
    {
        if (!local())
        {
            return;
        }
        StackState.read(varDir).flatMap(s -> s.services().stream().filter(p -> p.name().equals(ENGINE)).findFirst())
            .ifPresent(p ->
            {
                if (p.ours())
                {
                    Pids.stop(p.pid(), Duration.ofSeconds(20));
                    out.println("demo: stopped the engine an earlier demo left running (pid " + p.pid() + ")");
                }
                LocalStack.detach(varDir, ENGINE);
            });
    }

    /** Records the running engine in the stack's state so that {@code ./tally stack down} stops it. */
    void attachEngine(final long pid, final int metricsPort, final Path journalDir, final Path log)
    {
        if (local())
        {
            LocalStack.attach(varDir, new ServiceProcess(ENGINE, pid, metricsPort,
                "http://" + Ports.LOOPBACK + ":" + metricsPort + "/dashboard", journalDir, log));
        }
    }

    void detachEngine()
    {
        if (local())
        {
            LocalStack.detach(varDir, ENGINE);
        }
    }

    /** {@code ./tally stack down} for this stack's folder. */
    void down(final PrintStream out)
    {
        LocalStack.down(varDir, out);
    }

    /** The command that stops what the demo leaves running. */
    String stopCommand()
    {
        return varDir.equals(TallyHome.var()) ? "./tally stack down" : "./tally stack down --var " + varDir;
    }
}
