package dev.tally.engine;

import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import dev.tally.stack.kafka.LocalKafka;

import java.nio.file.Path;
import java.time.Duration;

/** A 1-broker Kafka and a ClickHouse server on fresh ports for one test class, stopped by pid on close. */
final class StackFixture implements AutoCloseable
{
    final LocalKafka kafka;
    final ServiceProcess clickhouse;
    final Path dir;

    private StackFixture(final LocalKafka kafka, final ServiceProcess clickhouse, final Path dir)
    {
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.dir = dir;
    }

    static StackFixture start(final Path dir)
    {
        return start(dir, LocalClickHouse.Options.defaults());
    }

    /** As {@link #start(Path)}, the ClickHouse server run as {@code clickhouse} says (e.g. a user with a password). */
    static StackFixture start(final Path dir, final LocalClickHouse.Options clickhouse)
    {
        final LocalKafka kafka = LocalKafka.start(1, dir.resolve("kafka"));
        try
        {
            return new StackFixture(kafka, LocalClickHouse.start("clickhouse-" + dir.getFileName(), Ports.freePort(),
                dir.resolve("ch"), dir.resolve("ch.log"), clickhouse), dir);
        }
        catch (final RuntimeException e)
        {
            kafka.close();
            throw e;
        }
    }

    /** An engine that reads {@code topic} to its end, ticking every 200 ms, then stops. */
    EngineConfig catchUp(final String topic, final int batchRows)
    {
        final EngineConfig config = new EngineConfig();
        config.bootstrap = kafka.bootstrap();
        config.topic = topic;
        config.clickhouseUrl = clickhouse.endpoint();
        config.stopAtEnd = true;
        config.emitInterval = Duration.ofMillis(200);
        config.batchRows = batchRows;
        config.journalDir = dir.resolve("journal");
        return config;
    }

    ExactCheck exactCheck(final String topic, final int partitions)
    {
        return new ExactCheck(kafka.bootstrap(), clickhouse.endpoint(), topic, partitions);
    }

    @Override
    public void close()
    {
        try
        {
            LocalClickHouse.stop(clickhouse);
        }
        finally
        {
            kafka.close();
        }
    }
}
