package dev.tally.stack.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * One Kafka node in KRaft combined mode (broker and controller in one process), as files on disk:
 * {@code server.properties}, {@code log4j2.properties} and the log directory {@code data/}.
 *
 * @param nodeId         1-based KRaft node id
 * @param brokerPort     the PLAINTEXT listener clients use, on 127.0.0.1
 * @param controllerPort the CONTROLLER listener, on 127.0.0.1
 * @param dir            this node's folder
 */
public record KafkaNode(int nodeId, int brokerPort, int controllerPort, Path dir)
{
    public static final String MAIN_CLASS = "kafka.Kafka";
    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    public Path properties()
    {
        return dir.resolve("server.properties");
    }

    public Path logConfig()
    {
        return dir.resolve("log4j2.properties");
    }

    public Path dataDir()
    {
        return dir.resolve("data");
    }

    public Path log()
    {
        return dir.resolve("stdout.log");
    }

    /** KRaft writes meta.properties when the log directory is formatted; its presence means "formatted". */
    public boolean formatted()
    {
        return Files.isRegularFile(dataDir().resolve("meta.properties"));
    }

    public String endpoint()
    {
        return "127.0.0.1:" + brokerPort;
    }

    /**
     * Writes this node's configuration for a cluster of {@code voters} nodes. Replication settings follow the
     * cluster size: RF = min(3, n); min.insync.replicas = 2 when there are 3 nodes, else 1, so transactions
     * and the offsets topic work with a single broker too.
     */
    public void writeConfig(final KafkaNode[] voters) throws IOException
    {
        final int n = voters.length;
        final int rf = Math.min(3, n);
        final int minIsr = n >= 3 ? 2 : 1;
        final StringJoiner quorum = new StringJoiner(",");
        for (final KafkaNode v : voters)
        {
            quorum.add(v.nodeId + "@127.0.0.1:" + v.controllerPort);
        }

        final String props = String.join("\n",
            "# Written by ./tally stack; edits are overwritten at the next start.",
            "process.roles=broker,controller",
            "node.id=" + nodeId,
            "controller.quorum.voters=" + quorum,
            "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dataDir(),
            "num.partitions=8",
            "default.replication.factor=" + rf,
            "min.insync.replicas=" + minIsr,
            "offsets.topic.replication.factor=" + rf,
            "offsets.topic.num.partitions=8",
            "transaction.state.log.replication.factor=" + rf,
            "transaction.state.log.min.isr=" + minIsr,
            "transaction.state.log.num.partitions=8",
            "share.coordinator.state.topic.replication.factor=" + rf,
            "share.coordinator.state.topic.min.isr=" + minIsr,
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            "unclean.leader.election.enable=false",
            "log.segment.bytes=268435456",
            "num.network.threads=2",
            "num.io.threads=4",
            "") + "\n";
        Files.createDirectories(dataDir());
        Files.writeString(properties(), props, StandardCharsets.UTF_8);

        final String log4j = String.join("\n",
            "# Broker log: INFO and up to a rolling file beside the node's data.",
            "appender.file.type=RollingFile",
            "appender.file.name=file",
            "appender.file.fileName=" + dir.resolve("server.log"),
            "appender.file.filePattern=" + dir.resolve("server.log.%i"),
            "appender.file.layout.type=PatternLayout",
            "appender.file.layout.pattern=[%d] %p %m (%c)%n",
            "appender.file.policies.type=Policies",
            "appender.file.policies.size.type=SizeBasedTriggeringPolicy",
            "appender.file.policies.size.size=50MB",
            "appender.file.strategy.type=DefaultRolloverStrategy",
            "appender.file.strategy.max=3",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.file.ref=file",
            "logger.kafka-request.name=kafka.request.logger",
            "logger.kafka-request.level=WARN",
            "") + "\n";
        Files.writeString(logConfig(), log4j, StandardCharsets.UTF_8);
    }
}
