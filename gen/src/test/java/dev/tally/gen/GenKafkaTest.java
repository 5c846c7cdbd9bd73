package dev.tally.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tally.codec.RecordFraming;
import dev.tally.stack.JvmProcess;
import dev.tally.stack.kafka.LocalKafka;

/**
 * The generator against a real 1-broker Kafka (separate process on loopback, stopped by pid afterwards).
 */
class GenKafkaTest
{
    private static final String START = "1767225600000";

    @TempDir
    static Path dir;

    private static LocalKafka kafka;

    @BeforeAll
    static void startKafka()
    {
        kafka = LocalKafka.start(1, dir.resolve("kafka"));
    }

    @AfterAll
    static void stopKafka()
    {
        if (kafka != null)
        {
            kafka.close();
        }
    }

    @Test
    void createTopicMakesTheTopicAndSendsNothing()
    {
        assertThat(GenMain.run("--bootstrap", kafka.bootstrap(), "--topic", "made-only", "--partitions", "3",
            "--create-topic")).isZero();
        final List<List<TopicReader.Entry>> partitions = TopicReader.read(kafka.bootstrap(), "made-only");
        assertThat(partitions).hasSize(3).allSatisfy(p -> assertThat(p).isEmpty());
    }

    @Test
    void sameSeedGivesByteIdenticalTopicsWithAndWithoutTransactions()
    {
        // det-a unpaced (event time advancing 50k events/s), det-b paced at 50k/s in transactions: same bytes.
        final String[] common = { "--seed", "7", "--event-time-start", START, "--events", "30000",
            "--partitions", "4", "--json-fraction", "0.1", "--malformed-fraction", "0.01", "--progress-interval", "1h" };
        assertThat(GenMain.run(args(common, "--bootstrap", kafka.bootstrap(), "--topic", "det-a",
            "--rate", "0", "--time-rate", "50000"))).isZero();
        assertThat(GenMain.run(args(common, "--bootstrap", kafka.bootstrap(), "--topic", "det-b",
            "--rate", "50000", "--transactional"))).isZero();

        final List<List<TopicReader.Entry>> a = TopicReader.read(kafka.bootstrap(), "det-a");
        final List<List<TopicReader.Entry>> b = TopicReader.read(kafka.bootstrap(), "det-b");
        assertThat(a).hasSize(4);
        assertThat(b).hasSize(4);
        for (int p = 0; p < 4; p++)
        {
            assertThat(b.get(p)).hasSameSizeAs(a.get(p));
            for (int i = 0; i < a.get(p).size(); i++)
            {
                assertThat(a.get(p).get(i).sameBytes(b.get(p).get(i))).as("partition %d record %d", p, i).isTrue();
            }
        }
        assertEachIndexOnceAndAsGenerated(a, 30_000, new GenConfig().seed(7).eventTimeStart(Long.parseLong(START))
            .rate(50_000).jsonFraction(0.1).malformedFraction(0.01));
    }

    @Test
    void resumeAfterKillNineLeavesEachIndexExactlyOnce() throws Exception
    {
        killAndResume("resume-idem", false);
    }

    @Test
    void transactionalResumeAfterKillNineLeavesEachIndexExactlyOnce() throws Exception
    {
        killAndResume("resume-txn", true);
    }

    private void killAndResume(final String topic, final boolean transactional) throws Exception
    {
        final int events = 150_000;
        final List<String> flags = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap(), "--topic", topic,
            "--seed", "21", "--event-time-start", START, "--rate", "25000", "--events", Integer.toString(events),
            "--partitions", "3", "--linger-ms", "20", "--txn-ms", "50"));
        if (transactional)
        {
            flags.add("--transactional");
        }
        final Path log = dir.resolve(topic + ".log");
        final Process child = JvmProcess.of(GenMain.class.getName())
            .heap("256m")
            .classpath(System.getProperty("java.class.path"))
            .args(flags.toArray(String[]::new))
            .log(log)
            .start();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (countOrZero(topic) < 40_000)
            {
                assertThat(child.isAlive()).as("generator died early: %s", read(log)).isTrue();
                assertThat(System.nanoTime()).as("generator too slow: %s", read(log)).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        finally
        {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        final long atKill = TopicReader.count(kafka.bootstrap(), topic);
        assertThat(atKill).as("killed mid-run").isLessThan(events);

        final List<String> resume = new ArrayList<>(flags);
        resume.removeAll(List.of("--seed", "21", "--event-time-start", START));
        resume.addAll(List.of("--resume", "--progress-interval", "1h"));
        assertThat(GenMain.run(resume.toArray(String[]::new))).isZero();

        assertEachIndexOnceAndAsGenerated(TopicReader.read(kafka.bootstrap(), topic), events,
            new GenConfig().seed(21).eventTimeStart(Long.parseLong(START)).rate(25_000));
    }

    private long countOrZero(final String topic)
    {
        try
        {
            return TopicReader.count(kafka.bootstrap(), topic);
        }
        catch (final RuntimeException e)
        {
            return 0;
        }
    }

    private static void assertEachIndexOnceAndAsGenerated(
        final List<List<TopicReader.Entry>> partitions, final int events, final GenConfig config)
    {
        final int[] seen = new int[events];
        final long seed = config.seed();
        final EventGenerator generator = new EventGenerator(config);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        for (final List<TopicReader.Entry> partition : partitions)
        {
            long previous = -1;
            for (final TopicReader.Entry entry : partition)
            {
                assertThat(entry.index()).isBetween(0L, events - 1L).isGreaterThan(previous);
                previous = entry.index();
                seen[(int)entry.index()]++;
                assertThat(RecordFraming.getLongBigEndian(entry.run(), 0)).isEqualTo(seed);
                assertThat(entry.key()).hasSize(RecordFraming.KEY_LENGTH);
                final int length = generator.encode(entry.index(), buffer, 0);
                final byte[] expected = new byte[length];
                buffer.getBytes(0, expected);
                assertThat(entry.value()).as("value of index %d", entry.index()).isEqualTo(expected);
            }
        }
        for (int i = 0; i < events; i++)
        {
            assertThat(seen[i]).as("copies of index %d", i).isEqualTo(1);
        }
    }

    private static String[] args(final String[] common, final String... more)
    {
        final List<String> all = new ArrayList<>(List.of(common));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String read(final Path log)
    {
        try
        {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        }
        catch (final java.io.IOException e)
        {
            return e.toString();
        }
    }
}
