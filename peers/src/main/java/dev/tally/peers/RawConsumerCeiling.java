package dev.tally.peers;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The ceiling: Kafka's own consumer reading a topic's whole backlog and doing nothing else. Every partition is
 * assigned directly (no group, so no join or rebalance), read from its first offset to the end offset seen at
 * start under read_committed with byte[] deserializers and the engine's fetch sizes ({@code max.poll.records}
 * 4096, {@code max.partition.fetch.bytes} 4 MiB). With {@code --decode} each value is also decoded as tally
 * decodes it, which prices the codec on top of the fetch. No consumer of this topic on this machine can go faster
 * than this; tally's records/s over this figure says how much of the ceiling its pipeline keeps.
 * <p>
 * Prints the records, bytes (keys plus values), the drain's wall time (first poll to the last record) and the
 * whole process's, and ends with one machine-readable line:
 * {@code result records=... bytes=... seconds=... records_per_s=... process_seconds=... malformed=...}.
 * Exit codes: 0 done, 1 Kafka unreachable or no such topic, 2 bad command line.
 */
@Command(name = "raw-consumer-ceiling", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Read a topic's whole backlog with a plain KafkaConsumer and nothing else: the ceiling for any consumer.")
public final class RawConsumerCeiling implements Callable<Integer>
{
    private static final String NAME = "raw-consumer-ceiling";

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Topic to drain (default: ${DEFAULT-VALUE}).")
    String topic = "events";

    @Option(names = "--decode", description = "Also decode each value (binary or JSON form) and count the malformed.")
    boolean decode;

    @Option(names = "--max-poll-records", description = "max.poll.records (default: ${DEFAULT-VALUE}, as the engine).")
    int maxPollRecords = 4096;

    @Option(names = "--max-partition-fetch-bytes", description = "max.partition.fetch.bytes (default: ${DEFAULT-VALUE}: 4 MiB, as the engine).")
    int maxPartitionFetchBytes = 4 << 20;

    @Option(names = "--connect-timeout", converter = Durations.class, description = "How long to wait for Kafka (default: 10s).")
    Duration connectTimeout = Duration.ofSeconds(10);

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the command and return its exit code, without exiting.
     *
     * @param args command-line arguments.
     * @return 0, 1 or 2.
     */
    public static int run(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new RawConsumerCeiling());
        commandLine.setParameterExceptionHandler(RawConsumerCeiling::badParameter);
        return commandLine.execute(args);
    }

    @Override
    public Integer call()
    {
        final ProcessClock process = new ProcessClock();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(properties(), new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final Backlog backlog;
            try
            {
                backlog = Backlog.of(consumer, topic, connectTimeout);
            }
            catch (final IllegalStateException e)
            {
                System.err.println(NAME + ": " + e.getMessage());
                return 1;
            }
            System.err.printf(Locale.ROOT, "%s: %s: %d partitions, %,d offsets to read%s%n", NAME, topic,
                backlog.partitions().size(), backlog.offsetSpan(), decode ? ", decoding each value" : "");
            final Drain drain = drain(consumer, backlog);
            final double processSeconds = process.seconds();
            System.out.printf(Locale.ROOT, "%s: %,d records, %,d bytes in %.2fs (%,.0f records/s, %.1f MiB/s); " +
                    "whole process %.2fs%s%n", NAME, drain.records, drain.bytes, drain.seconds,
                drain.records / drain.seconds, drain.bytes / drain.seconds / (1 << 20), processSeconds,
                decode ? String.format(Locale.ROOT, "; %,d malformed (checksum %d)", drain.malformed, drain.checksum) : "");
            System.out.printf(Locale.ROOT, "result records=%d bytes=%d seconds=%.3f records_per_s=%.0f process_seconds=%.3f malformed=%s%n",
                drain.records, drain.bytes, drain.seconds, drain.records / drain.seconds, processSeconds,
                decode ? Long.toString(drain.malformed) : "-");
            return 0;
        }
    }

    private Drain drain(final KafkaConsumer<byte[], byte[]> consumer, final Backlog backlog)
    {
        final Map<TopicPartition, Long> remaining = new HashMap<>();
        for (final TopicPartition tp : backlog.partitions())
        {
            if (backlog.end().get(tp) > backlog.beginning().get(tp))
            {
                remaining.put(tp, backlog.end().get(tp));
            }
        }
        consumer.assign(remaining.keySet());
        consumer.seekToBeginning(remaining.keySet());
        final EventDecoding decoding = decode ? new EventDecoding() : null;
        final Drain drain = new Drain();
        final long start = System.nanoTime();
        final List<TopicPartition> done = new ArrayList<>();
        while (!remaining.isEmpty())
        {
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
            for (final TopicPartition tp : records.partitions())
            {
                final long end = remaining.getOrDefault(tp, -1L);
                for (final ConsumerRecord<byte[], byte[]> record : records.records(tp))
                {
                    if (record.offset() >= end)
                    {
                        break;
                    }
                    drain.records++;
                    drain.bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    if (decoding != null && decoding.decode(record.value()))
                    {
                        drain.checksum += decoding.event().amount();
                    }
                }
            }
            // Under read_committed the position moves past transaction markers too, so it reaches the end offset.
            done.clear();
            for (final Map.Entry<TopicPartition, Long> e : remaining.entrySet())
            {
                if (consumer.position(e.getKey()) >= e.getValue())
                {
                    done.add(e.getKey());
                }
            }
            if (!done.isEmpty())
            {
                done.forEach(remaining::remove);
                consumer.pause(done);
            }
        }
        drain.seconds = Math.max((System.nanoTime() - start) / 1e9, 1e-9);
        drain.malformed = decoding == null ? 0 : decoding.malformed();
        return drain;
    }

    private Properties properties()
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-peers-raw");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxPartitionFetchBytes));
        return p;
    }

    private static int badParameter(final ParameterException e, final String[] args)
    {
        final PrintWriter err = e.getCommandLine().getErr();
        err.println(NAME + ": " + e.getMessage() + " (see --help)");
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    /** What one drain read. */
    private static final class Drain
    {
        long records;
        long bytes;
        long malformed;
        long checksum;
        double seconds;
    }
}
