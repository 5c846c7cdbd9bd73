package dev.tally.engine;

import dev.tally.gen.GenMain;
import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;
import dev.tally.stack.kafka.LocalKafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine as a process of its own, killed with SIGKILL while events flow in: once after it has committed,
 * once shortly after its restart (possibly mid-recovery). A last run catches up and stops at the end; ClickHouse
 * and the dead-letter topic must then hold exactly the reference: nothing counted twice, nothing lost.
 */
class EngineKillRecoveryTest
{
    private static final String TOPIC = "events";
    private static final int PARTITIONS = 4;
    private static final int EVENTS = 1_000_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static StackFixture stack;
    private static LocalKafka kafka;

    @BeforeAll
    static void startStack()
    {
        stack = StackFixture.start(dir);
        kafka = stack.kafka;
    }

    @AfterAll
    static void stopStack()
    {
        if (stack != null)
        {
            stack.close();
        }
    }

    @Test
    void killNineTwiceThenCatchUpIsExact() throws Exception
    {
        kafka.createTopic(TOPIC, PARTITIONS, 1);
        final AtomicInteger genExit = new AtomicInteger(-1);
        final Thread generator = Thread.ofPlatform().name("generator").start(() -> genExit.set(GenMain.run(
            "--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--partitions", Integer.toString(PARTITIONS),
            "--events", Integer.toString(EVENTS), "--rate", "80000", "--accounts", "50000", "--seed", "7",
            "--late-fraction", "0.03", "--malformed-fraction", "0.001", "--json-fraction", "0.05",
            "--progress-interval", "1h")));

        final SplittableRandom rnd = new SplittableRandom(11);
        final Process first = startEngine(1);
        awaitCommits(Duration.ofSeconds(90));
        Thread.sleep(rnd.nextInt(1500));
        kill(first);

        final Process second = startEngine(2);
        Thread.sleep(300 + rnd.nextInt(2500));
        kill(second);

        generator.join(TimeUnit.MINUTES.toMillis(3));
        assertThat(genExit.get()).as("generator exit code").isZero();

        final EngineConfig config = stack.catchUp(TOPIC, 20_000);
        try (Engine engine = Engine.start(config))
        {
            assertThat(engine.awaitFinished(Duration.ofMinutes(3))).as("failure: %s", engine.failure()).isTrue();
        }
        stack.exactCheck(TOPIC, PARTITIONS).assertExact(false);
    }

    private static Process startEngine(final int run) throws Exception
    {
        return JvmProcess.of("dev.tally.engine.RunMain")
            .heap("512m")
            .args("--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--clickhouse-url", stack.clickhouse.endpoint(),
                "--emit-interval", "200ms", "--batch-rows", "20000", "--batch-max-wait", "300ms",
                "--journal-dir", dir.resolve("journal").toString(), "--metrics-address", "127.0.0.1:0",
                "--latency-dir", dir.resolve("latency").toString())
            .log(dir.resolve("engine-" + run + ".log"))
            .start();
    }

    private static void kill(final Process p)
    {
        assertThat(p.isAlive()).as("engine still running when killed").isTrue();
        Pids.kill9(p.pid());
        assertThat(Pids.alive(p.pid())).isFalse();
    }

    /** Waits until the group "tally" has committed an offset for some partition. */
    private static void awaitCommits(final Duration timeout) throws Exception
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        try (Admin admin = Admin.create(p))
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline)
            {
                final Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets("tally").partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (offsets.values().stream().anyMatch(o -> o != null && o.metadata().startsWith("tally1")))
                {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the engine committed nothing within " + timeout);
    }
}
