package dev.tally.stack.kafka;

import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.StackException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka cluster on 127.0.0.1: one or three KRaft nodes in combined mode, each its own JVM started
 * from the Kafka jars on this module's classpath. Used by {@code ./tally stack} (fixed ports under var/) and by
 * tests (fresh ports, temp dirs). Every process is started, stopped and killed by its pid.
 */
public final class LocalKafka implements AutoCloseable
{
    public static final int DEFAULT_BROKER_PORT = 19092;
    public static final int DEFAULT_CONTROLLER_PORT = 19192;
    public static final String DEFAULT_HEAP = "512m";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final KafkaNode[] nodes;
    private final long[] pids;
    private final String heap;

    private LocalKafka(final KafkaNode[] nodes, final String heap)
    {
        this.nodes = nodes;
        this.pids = new long[nodes.length];
        this.heap = heap;
    }

    /** Nodes on consecutive ports: broker ports from {@code brokerPort}, controller ports from {@code controllerPort}. */
    public static KafkaNode[] layout(final int brokers, final int brokerPort, final int controllerPort, final Path dir)
    {
        if (brokers != 1 && brokers != 3)
        {
            throw new StackException("--brokers must be 1 or 3, not " + brokers);
        }
        final KafkaNode[] nodes = new KafkaNode[brokers];
        for (int i = 0; i < brokers; i++)
        {
            nodes[i] = new KafkaNode(i + 1, brokerPort + i, controllerPort + i, dir.resolve("broker-" + (i + 1)));
        }
        return nodes;
    }

    /** For tests: a fresh cluster of {@code brokers} nodes on free ports under {@code dir}, healthy when this returns. */
    public static LocalKafka start(final int brokers, final Path dir)
    {
        final KafkaNode[] nodes = new KafkaNode[brokers];
        for (int i = 0; i < brokers; i++)
        {
            nodes[i] = new KafkaNode(i + 1, Ports.freePort(), Ports.freePort(), dir.resolve("broker-" + (i + 1)));
        }
        final LocalKafka kafka = new LocalKafka(nodes, DEFAULT_HEAP);
        kafka.startAll(Duration.ofSeconds(90));
        return kafka;
    }

    /** Starts {@code nodes} (formatting storage on first start), then waits until the cluster passes a round trip. */
    public static LocalKafka start(final KafkaNode[] nodes, final String heap, final Duration timeout)
    {
        final LocalKafka kafka = new LocalKafka(nodes, heap);
        kafka.startAll(timeout);
        return kafka;
    }

    private void startAll(final Duration timeout)
    {
        try
        {
            for (final KafkaNode node : nodes)
            {
                Ports.requireFree(node.brokerPort(), "Kafka broker " + node.nodeId(), "--kafka-port");
                Ports.requireFree(node.controllerPort(), "Kafka controller " + node.nodeId(), "--controller-port");
                node.writeConfig(nodes);
            }
            format();
            for (int i = 0; i < nodes.length; i++)
            {
                pids[i] = launch(nodes[i]);
            }
            KafkaHealth.await(bootstrap(), nodes.length, timeout, this::firstDeadLog);
        }
        catch (final IOException e)
        {
            close();
            throw new StackException("cannot start Kafka: " + e.getMessage(), e);
        }
        catch (final RuntimeException e)
        {
            close();
            throw e;
        }
    }

    /** Formats the log directories that have never been formatted, all with one new cluster id, in parallel. */
    private void format() throws IOException
    {
        final List<Process> running = new ArrayList<>();
        final List<KafkaNode> formatting = new ArrayList<>();
        String clusterId = null;
        for (final KafkaNode node : nodes)
        {
            if (node.formatted())
            {
                continue;
            }
            if (clusterId == null)
            {
                clusterId = existingClusterId().orElse(Uuid.randomUuid().toString());
            }
            running.add(JvmProcess.of(KafkaNode.STORAGE_TOOL)
                .heap("256m")
                .args("format", "-t", clusterId, "-c", node.properties().toString(), "--ignore-formatted")
                .log(node.dir().resolve("format.log"))
                .start());
            formatting.add(node);
        }
        for (int i = 0; i < running.size(); i++)
        {
            final int code = waitFor(running.get(i));
            if (code != 0)
            {
                throw new StackException("formatting Kafka storage in " + formatting.get(i).dataDir() +
                    " failed (exit " + code + "); see " + formatting.get(i).dir().resolve("format.log"));
            }
        }
    }

    /** A node that was formatted earlier fixes the cluster id for the ones formatted now. */
    private java.util.Optional<String> existingClusterId() throws IOException
    {
        for (final KafkaNode node : nodes)
        {
            if (node.formatted())
            {
                for (final String line : Files.readAllLines(node.dataDir().resolve("meta.properties")))
                {
                    if (line.startsWith("cluster.id="))
                    {
                        return java.util.Optional.of(line.substring("cluster.id=".length()).trim());
                    }
                }
            }
        }
        return java.util.Optional.empty();
    }

    private long launch(final KafkaNode node) throws IOException
    {
        final Process p = JvmProcess.of(KafkaNode.MAIN_CLASS)
            .heap(heap)
            .jvmArg(ServiceProcess.marker("kafka-" + node.nodeId()))
            .jvmArg("-Dlog4j2.configurationFile=" + node.logConfig())
            .jvmArg("-Dkafka.logs.dir=" + node.dir())
            .args(node.properties().toString())
            .log(node.log())
            .start();
        return p.pid();
    }

    private static int waitFor(final Process p)
    {
        try
        {
            return p.waitFor();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new StackException("interrupted while formatting Kafka storage");
        }
    }

    private String firstDeadLog()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            if (pids[i] != 0 && !Pids.alive(pids[i]))
            {
                return "Kafka node " + nodes[i].nodeId() + " exited; see " + nodes[i].dir().resolve("server.log");
            }
        }
        return null;
    }

    public String bootstrap()
    {
        final StringJoiner j = new StringJoiner(",");
        for (final KafkaNode node : nodes)
        {
            j.add(node.endpoint());
        }
        return j.toString();
    }

    public int size()
    {
        return nodes.length;
    }

    public KafkaNode node(final int index)
    {
        return nodes[index];
    }

    public long pid(final int index)
    {
        return pids[index];
    }

    public List<ServiceProcess> processes()
    {
        final List<ServiceProcess> list = new ArrayList<>(nodes.length);
        for (int i = 0; i < nodes.length; i++)
        {
            final KafkaNode n = nodes[i];
            list.add(new ServiceProcess("kafka-" + n.nodeId(), pids[i], n.brokerPort(), n.endpoint(), n.dataDir(), n.log()));
        }
        return list;
    }

    /** SIGKILL one node by pid (index is 0-based), leaving its data for {@link #restart(int)}. */
    public void kill9(final int index)
    {
        Pids.kill9(pids[index]);
    }

    /** Starts one node again on its own data and ports, and waits until the whole cluster is healthy again. */
    public void restart(final int index, final Duration timeout)
    {
        if (Pids.alive(pids[index]))
        {
            throw new StackException("Kafka node " + nodes[index].nodeId() + " is still running (pid " + pids[index] + ")");
        }
        try
        {
            pids[index] = launch(nodes[index]);
        }
        catch (final IOException e)
        {
            throw new StackException("cannot restart Kafka node " + nodes[index].nodeId() + ": " + e.getMessage(), e);
        }
        KafkaHealth.await(bootstrap(), nodes.length, timeout, this::firstDeadLog);
    }

    public void createTopic(final String name, final int partitions, final int replicationFactor)
    {
        KafkaHealth.createTopic(bootstrap(), name, partitions, (short)replicationFactor);
    }

    /** Stops every node by pid: SIGTERM to all for a clean shutdown, SIGKILL after a grace period. */
    @Override
    public void close()
    {
        Pids.stopAll(pids, STOP_GRACE);
    }
}
