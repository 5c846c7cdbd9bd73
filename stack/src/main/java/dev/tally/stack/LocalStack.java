package dev.tally.stack;

import dev.tally.stack.kafka.KafkaHealth;
import dev.tally.stack.kafka.LocalKafka;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local stack as a whole: Kafka then ClickHouse, recorded in {@link StackState} after each service starts so
 * that {@code down} can always stop what {@code up} started, even after a failed or interrupted {@code up}.
 */
public final class LocalStack
{
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private LocalStack()
    {
    }

    /** What {@code up} left running. */
    public record Result(StackState state, boolean alreadyUp, long elapsedMs, Path varDir)
    {
        public String summary()
        {
            final StringBuilder sb = new StringBuilder();
            for (final ServiceProcess s : state.services())
            {
                sb.append(row(s, "up")).append('\n');
            }
            sb.append(alreadyUp ? "stack already up" : "stack up in " + String.format("%.1f", elapsedMs / 1000.0) + "s")
                .append(": kafka ").append(state.bootstrap())
                .append(", clickhouse ").append(state.clickhouseUrl())
                .append("; stop it with ./tally stack down");
            return sb.toString();
        }
    }

    public static Result up(final Path varDir, final StackOptions options, final PrintStream out)
    {
        final long start = System.nanoTime();
        final Optional<StackState> existing = StackState.read(varDir);
        if (existing.isPresent())
        {
            final StackState s = existing.get();
            final List<ServiceProcess> gone = s.services().stream().filter(p -> core(p) && !p.ours()).toList();
            if (gone.isEmpty())
            {
                if (s.brokers() != options.brokers)
                {
                    throw new StackException("the stack is already up with " + s.brokers() + " broker(s); run " +
                        "./tally stack down before starting it with --brokers " + options.brokers);
                }
                return new Result(forgetExitedAttachments(s, varDir), true, 0, varDir);
            }
            out.println("restarting the stack: " + gone.stream().map(ServiceProcess::name).toList() + " had exited");
            stopAll(s.services(), out);
            StackState.delete(varDir);
        }

        final List<ServiceProcess> started = new ArrayList<>();
        final Duration timeout = Duration.ofSeconds(options.timeoutSeconds);
        try
        {
            final LocalKafka kafka = LocalKafka.start(
                LocalKafka.layout(options.brokers, options.kafkaPort, options.controllerPort,
                    varDir.resolve("kafka").resolve("cluster-" + options.brokers)),
                options.brokerHeap, timeout);
            started.addAll(kafka.processes());
            final String clickhouseUrl = options.clickhouseUrl != null ? options.clickhouseUrl : "";
            StackState state = new StackState(options.brokers, kafka.bootstrap(), clickhouseUrl, List.copyOf(started));
            state.write(varDir);

            final Optional<ServiceProcess> clickhouse = ClickHouseService.start(varDir, options, out);
            if (clickhouse.isPresent())
            {
                started.add(clickhouse.get());
                state = new StackState(options.brokers, kafka.bootstrap(), clickhouse.get().endpoint(), List.copyOf(started));
                state.write(varDir);
            }
            return new Result(state, false, (System.nanoTime() - start) / 1_000_000, varDir);
        }
        catch (final RuntimeException e)
        {
            stopAll(started, null);
            StackState.delete(varDir);
            throw e;
        }
    }

    /**
     * Records a process started next to the stack (the engine {@code ./tally demo} leaves running) in the state
     * file, replacing one of the same name, so that {@code status} lists it and {@code down} stops it by pid with
     * the rest. Its {@code dataDir} must appear on its command line: that is how {@code down} knows the pid is still
     * the process recorded.
     *
     * @throws StackException when the stack is not up
     */
    public static void attach(final Path varDir, final ServiceProcess process)
    {
        final StackState s = StackState.read(varDir).orElseThrow(() ->
            new StackException("the stack is not up (no " + StackState.file(varDir) + "); nothing to attach " +
                process.name() + " to"));
        s.with(process).write(varDir);
    }

    /** Forgets the attached process {@code name} (it was stopped); nothing happens when the stack is down. */
    public static void detach(final Path varDir, final String name)
    {
        StackState.read(varDir).ifPresent(s -> s.without(name).write(varDir));
    }

    /** A Kafka node or the ClickHouse server, as opposed to a process attached to the stack. */
    private static boolean core(final ServiceProcess p)
    {
        return p.name().startsWith("kafka-") || p.name().equals(ClickHouseService.NAME);
    }

    private static StackState forgetExitedAttachments(final StackState s, final Path varDir)
    {
        StackState kept = s;
        for (final ServiceProcess p : s.services())
        {
            if (!core(p) && !p.ours())
            {
                kept = kept.without(p.name());
            }
        }
        if (kept != s)
        {
            kept.write(varDir);
        }
        return kept;
    }

    /** Prints one row per process and returns true when every one is ours, alive and answering. */
    public static boolean status(final Path varDir, final PrintStream out)
    {
        final Optional<StackState> existing = StackState.read(varDir);
        if (existing.isEmpty())
        {
            out.println("stack is down (no " + StackState.file(varDir) + "); start it with ./tally stack up");
            return false;
        }
        final StackState s = existing.get();
        boolean healthy = true;
        final int brokersAnswering = KafkaHealth.brokerCount(s.bootstrap());
        for (final ServiceProcess p : s.services())
        {
            final String health;
            if (!core(p))
            {
                // Attached (the demo's engine): reported, but the stack's health does not depend on it.
                out.println(row(p, p.ours() ? "running" : "exited (pid " + p.pid() + " is gone)"));
                continue;
            }
            if (!p.ours())
            {
                health = "DOWN (pid " + p.pid() + " is gone)";
            }
            else if (p.name().startsWith("kafka-"))
            {
                health = brokersAnswering == s.brokers() ? "healthy" :
                    "UNHEALTHY (" + Math.max(0, brokersAnswering) + " of " + s.brokers() + " brokers registered)";
            }
            else
            {
                health = ClickHouseService.healthy(p) ? "healthy" : "UNHEALTHY (does not answer /ping)";
            }
            healthy &= "healthy".equals(health);
            out.println(row(p, health));
        }
        if (s.services().stream().noneMatch(p -> p.name().startsWith("clickhouse")) && !s.clickhouseUrl().isEmpty())
        {
            out.printf("%-11s %-9s %-26s %s%n", "clickhouse", "external", s.clickhouseUrl(), "(not managed by the stack)");
        }
        out.println(healthy ? "stack is healthy" : "stack is NOT healthy; ./tally stack down && ./tally stack up restarts it");
        return healthy;
    }

    /** Stops exactly the recorded processes that are still ours, then forgets the state. Data is kept. */
    public static void down(final Path varDir, final PrintStream out)
    {
        final Optional<StackState> existing = StackState.read(varDir);
        if (existing.isEmpty())
        {
            out.println("stack is not up (no " + StackState.file(varDir) + ")");
            return;
        }
        // Attached processes (the demo's engine) first, while Kafka and ClickHouse still answer their goodbyes.
        final List<ServiceProcess> services = existing.get().services();
        stopAll(services.stream().filter(p -> !core(p)).toList(), out);
        stopAll(services.stream().filter(LocalStack::core).toList(), out);
        StackState.delete(varDir);
        out.println("stack down; data kept under " + varDir);
    }

    private static void stopAll(final List<ServiceProcess> services, final PrintStream out)
    {
        final List<ServiceProcess> ours = services.stream().filter(ServiceProcess::ours).toList();
        Pids.stopAll(ours.stream().mapToLong(ServiceProcess::pid).toArray(), STOP_GRACE);
        for (final ServiceProcess p : ours)
        {
            if (p.alive())
            {
                throw new StackException(p.name() + " (pid " + p.pid() + ") did not stop; kill it by hand: kill -9 " + p.pid());
            }
            if (out != null)
            {
                out.println("stopped " + p.name() + " (pid " + p.pid() + ")");
            }
        }
    }

    static String row(final ServiceProcess p, final String health)
    {
        return String.format("%-11s pid %-7d %-26s %s  %s", p.name(), p.pid(), p.endpoint(), health, p.dataDir());
    }
}
