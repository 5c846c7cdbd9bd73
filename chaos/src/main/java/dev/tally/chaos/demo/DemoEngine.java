package dev.tally.chaos.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

import dev.tally.chaos.EngineInstance;
import dev.tally.stack.Ports;

/**
 * The demo's engine: one {@code ./tally run} instance with its metrics on a known loopback port, recorded in the
 * local stack's state at every start (so {@code ./tally stack down} stops the pid that runs) and forgotten when the
 * demo stops it.
 */
final class DemoEngine
{
    private final EngineInstance instance;
    private final DemoStack stack;
    private final int metricsPort;

    DemoEngine(final List<String> engineArgs, final Path workDir, final DemoStack stack, final int metricsPort)
    {
        final List<String> args = new ArrayList<>(engineArgs);
        args.addAll(List.of("--metrics-address", Ports.LOOPBACK + ":" + metricsPort));
        this.instance = new EngineInstance(DemoStack.ENGINE, args, workDir);
        this.stack = stack;
        this.metricsPort = metricsPort;
    }

    /** The default metrics port when it is free and the stack is the shared one, else any free port. */
    static int metricsPort(final boolean shared)
    {
        return shared && Ports.isFree(9464) ? 9464 : Ports.freePort();
    }

    EngineInstance instance()
    {
        return instance;
    }

    void start()
    {
        instance.start();
        stack.attachEngine(instance.pid(), metricsPort, instance.journalDir(), instance.log());
    }

    /** SIGTERM (the engine prints its summary into its log), then forgotten by the stack. */
    void stop()
    {
        instance.stop();
        stack.detachEngine();
    }

    String metricsUrl()
    {
        return "http://" + Ports.LOOPBACK + ":" + metricsPort + "/metrics";
    }

    String dashboardUrl()
    {
        return "http://" + Ports.LOOPBACK + ":" + metricsPort + "/dashboard";
    }

    /**
     * Waits until the engine answers on /metrics and its consumer group is stable with partitions assigned (on an
     * empty topic the engine reports no lag yet, so the group itself is asked).
     */
    void awaitAssigned(final String bootstrap, final String group, final Duration timeout) throws Exception
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (Admin admin = Admin.create(p))
        {
            while (EngineMetricsScrape.of(metricsUrl()).isEmpty() || !assigned(admin, group))
            {
                if (!instance.alive())
                {
                    throw new IllegalStateException("the engine exited while starting (exit " + instance.exitStatus() +
                        ": " + lastLine(instance.log()) + "); see " + instance.log());
                }
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("the engine did not join its group within " +
                        timeout.toSeconds() + "s; see " + instance.log());
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    private static boolean assigned(final Admin admin, final String group) throws InterruptedException
    {
        try
        {
            final ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
            return d.groupState() == GroupState.STABLE &&
                d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
        }
        catch (final ExecutionException | TimeoutException e)
        {
            return false;
        }
    }

    /** The engine log's last line that is not a JVM warning. */
    static String lastLine(final Path log)
    {
        try
        {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--)
            {
                if (!lines.get(i).isBlank() && !lines.get(i).startsWith("WARNING:"))
                {
                    return lines.get(i).strip();
                }
            }
            return "no output";
        }
        catch (final IOException e)
        {
            return "no log";
        }
    }
}
