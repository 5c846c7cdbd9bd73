package dev.tally.chaos.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What the demo's data is called on Kafka and ClickHouse. By default the same names every run (an earlier demo's
 * data is removed first); with {@code --keep-data} names of the run's own, so earlier demos' data stays.
 *
 * @param topic           the events topic
 * @param deadLetterTopic the engine's side-output topic
 * @param group           the engine's consumer group
 * @param database        the ClickHouse database
 */
record DemoNames(String topic, String deadLetterTopic, String group, String database)
{
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    static DemoNames shared()
    {
        return of("tally-demo");
    }

    /** Names of their own for a run started at {@code now}, e.g. {@code tally-demo-20261121-120000}. */
    static DemoNames ofRun(final Instant now)
    {
        return of("tally-demo-" + STAMP.format(now));
    }

    private static DemoNames of(final String base)
    {
        return new DemoNames(base, base + ".dlq", base, base.replace('-', '_'));
    }
}
