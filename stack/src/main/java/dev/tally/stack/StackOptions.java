package dev.tally.stack;

import dev.tally.stack.kafka.LocalKafka;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How {@code stack up} lays the stack out; every default is a loopback port or a bounded heap. */
public final class StackOptions
{
    public static final int DEFAULT_CLICKHOUSE_PORT = 18123;

    @Option(names = "--brokers", paramLabel = "1|3", description = "Kafka nodes (KRaft, combined mode); 3 gives RF=3 and min.insync.replicas=2. Default: ${DEFAULT-VALUE}.")
    public int brokers = 1;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "First broker port; node i listens on PORT+i-1. Default: ${DEFAULT-VALUE}.")
    public int kafkaPort = LocalKafka.DEFAULT_BROKER_PORT;

    @Option(names = "--controller-port", paramLabel = "PORT", description = "First KRaft controller port. Default: ${DEFAULT-VALUE}.")
    public int controllerPort = LocalKafka.DEFAULT_CONTROLLER_PORT;

    @Option(names = "--broker-heap", paramLabel = "SIZE", description = "Heap per broker JVM. Default: ${DEFAULT-VALUE}.")
    public String brokerHeap = LocalKafka.DEFAULT_HEAP;

    @Option(names = "--clickhouse-port", paramLabel = "PORT", description = "HTTP port of the local ClickHouse server. Default: ${DEFAULT-VALUE}.")
    public int clickhousePort = DEFAULT_CLICKHOUSE_PORT;

    @Option(names = "--clickhouse-url", paramLabel = "URL", description = "Use this ClickHouse server instead of starting one (nothing is started or stopped for it).")
    public String clickhouseUrl;

    @Option(names = "--clickhouse-heap", paramLabel = "SIZE", description = "Heap of the local ClickHouse server JVM (the engine itself runs natively outside it). Default: ${DEFAULT-VALUE}.")
    public String clickhouseHeap = "512m";

    @Option(names = "--fault-injection", hidden = true, description = "Serve the local ClickHouse server's " +
        "fault-injection endpoint (loopback only; ./tally demo uses it to hold one insert and to lose one ack).")
    public boolean faultInjection;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the services to answer. Default: ${DEFAULT-VALUE}.")
    public int timeoutSeconds = 120;

    /** Checks the values once, before anything is started; a bad value is a usage error (exit code 2). */
    public StackOptions conclude(final CommandLine cl)
    {
        if (brokers != 1 && brokers != 3)
        {
            throw new CommandLine.ParameterException(cl, "--brokers must be 1 or 3, not " + brokers);
        }
        requirePort(cl, kafkaPort, "--kafka-port");
        requirePort(cl, controllerPort, "--controller-port");
        requirePort(cl, clickhousePort, "--clickhouse-port");
        if (Math.abs(kafkaPort - controllerPort) < brokers)
        {
            throw new CommandLine.ParameterException(cl, "--kafka-port and --controller-port ranges overlap (" + brokers + " ports each)");
        }
        if (timeoutSeconds <= 0)
        {
            throw new CommandLine.ParameterException(cl, "--timeout must be positive, not " + timeoutSeconds);
        }
        return this;
    }

    private static void requirePort(final CommandLine cl, final int port, final String flag)
    {
        if (port < 1024 || port > 65535)
        {
            throw new CommandLine.ParameterException(cl, flag + " must be between 1024 and 65535, not " + port);
        }
    }
}
