package dev.tally.verify.eos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tally.stack.Pids;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backpressure: ClickHouse is frozen with SIGSTOP for 30 s while events flow at 10,000/s. The insert in flight
 * hangs, the writer takes no batch, the rings fill and the consumer pauses every partition while it keeps polling
 * (it stays in the group): it takes in no record at all while stalled, so the engine's memory is bounded by its
 * rings and batches (-Xmx384m, never exceeded or failed), not by the backlog, which waits in Kafka. After SIGCONT
 * the lag returns to its steady level within 60 s and verify finds ClickHouse exact.
 */
final class ClickHouseStallTest
{
    private static final String TOPIC = "stall";
    private static final int RATE = 10_000;
    private static final int EVENTS = 800_000;
    private static final long STALL_MS = 30_000;
    private static final Pattern METRICS_URL = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static EosStack stack;

    @BeforeAll
    static void startStack()
    {
        stack = EosStack.start(dir);
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
    void aFrozenClickHousePausesTheConsumerBoundsMemoryAndLagRecoversExactly() throws Exception
    {
        stack.kafka.createTopic(TOPIC, EosStack.PARTITIONS, 1);
        final Thread gen = new Thread(() -> stack.generate(TOPIC, EosStack.PARTITIONS, EVENTS, RATE), "gen");
        gen.start();
        Process engine = null;
        try
        {
            engine = stack.engine(TOPIC, "stall", "stall", "engine", "--ring-size", "8192", "--batches-in-flight", "4");
            final Metrics metrics = new Metrics(metricsUrl(engine));

            // Steady state: 20 s of flow, the lag's level over the last 10 of them.
            TimeUnit.SECONDS.sleep(10);
            long steadyLag = 0;
            for (int i = 0; i < 20; i++)
            {
                steadyLag = Math.max(steadyLag, metrics.sample().lag);
                TimeUnit.MILLISECONDS.sleep(500);
            }

            EosStack.signal(stack.clickhouse.pid(), "STOP");
            final List<Sample> stalled = new ArrayList<>();
            final long stalledAt = System.nanoTime();
            try
            {
                while (System.nanoTime() - stalledAt < TimeUnit.MILLISECONDS.toNanos(STALL_MS))
                {
                    stalled.add(metrics.sample());
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            }
            finally
            {
                EosStack.signal(stack.clickhouse.pid(), "CONT");
            }
            final long resumedAt = System.nanoTime();
            final long steady = Math.max(steadyLag * 2, RATE * 2L);
            Sample after = metrics.sample();
            while (after.lag > steady && System.nanoTime() - resumedAt < TimeUnit.SECONDS.toNanos(90))
            {
                TimeUnit.MILLISECONDS.sleep(250);
                after = metrics.sample();
            }
            final double recoverySeconds = (System.nanoTime() - resumedAt) / 1e9;

            final Sample tenIn = stalled.get(20);
            final Sample last = stalled.get(stalled.size() - 1);
            final long maxHeapMb = stalled.stream().mapToLong(s -> s.heapUsed).max().orElseThrow() >> 20;
            System.out.printf("stall: steady lag %,d; during the stall: consumed %,d -> %,d (10 s in) -> %,d (end), " +
                    "paused %d, lag at end %,d, heap used max %,d MB; lag back under %,d in %.1f s%n",
                steadyLag, stalled.get(0).consumed, tenIn.consumed, last.consumed, last.paused, last.lag,
                maxHeapMb, steady, recoverySeconds);

            assertThat(engine.isAlive()).as("engine alive through the stall; see %s", dir.resolve("engine.log")).isTrue();
            assertThat(last.paused).as("partitions paused at the end of the stall").isEqualTo(EosStack.PARTITIONS);
            assertThat(last.consumed).as("records taken in between 10 s into the stall and its end").isEqualTo(tenIn.consumed);
            assertThat(last.lag).as("the backlog waits in Kafka").isGreaterThan(RATE * 15L);
            assertThat(last.inFlight).as("batches in flight stay within --batches-in-flight").isLessThanOrEqualTo(4);
            assertThat(maxHeapMb).as("heap used (MB) under -Xmx384m").isLessThan(384);
            assertThat(after.lag).as("lag back to steady (%,d) within 90 s of SIGCONT", steady).isLessThanOrEqualTo(steady);
            assertThat(recoverySeconds).as("seconds until the lag was back to steady").isLessThan(60);

            gen.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(gen.isAlive()).as("gen finished").isFalse();
            final EosStack.Verdict verdict = stack.verify(TOPIC, "stall", "--wait", "--wait-timeout", "3m");
            assertThat(verdict.exit()).as("verify exit code; report:%n%s", verdict.report()).isZero();
            assertThat(verdict.report()).contains("EXACT MATCH");

            assertThat(Pids.stop(engine.pid(), Duration.ofSeconds(20))).as("engine stopped by SIGTERM").isTrue();
            assertThat(stack.log("engine")).as("the summary a SIGTERM still prints")
                .contains("tally run: " + String.format(java.util.Locale.ROOT, "%,d", EVENTS) + " records")
                .contains("tally run: end-to-end latency p50");
        }
        finally
        {
            if (engine != null)
            {
                Pids.stop(engine.pid(), Duration.ofSeconds(10));
            }
            gen.join(TimeUnit.MINUTES.toMillis(2));
        }
    }

    private static String metricsUrl(final Process engine) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline)
        {
            assertThat(engine.isAlive()).as("engine started; see %s", dir.resolve("engine.log")).isTrue();
            final Matcher m = METRICS_URL.matcher(stack.log("engine"));
            if (m.find())
            {
                return m.group(1);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("the engine did not print its metrics address; see " + dir.resolve("engine.log"));
    }

    private record Sample(long consumed, long paused, long lag, long heapUsed, long inFlight)
    {
    }

    /** Scrapes the engine's /metrics (a 2-core VM: scrapes are cheap text, twice a second). */
    private static final class Metrics
    {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI uri;

        Metrics(final String url)
        {
            this.uri = URI.create(url);
        }

        Sample sample() throws Exception
        {
            final String body = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            long lag = 0;
            for (final String line : body.split("\n"))
            {
                if (line.startsWith("tally_kafka_lag_records{"))
                {
                    lag += value(line);
                }
            }
            return new Sample(single(body, "tally_records_consumed_total "), single(body, "tally_paused_partitions "),
                lag, single(body, "jvm_memory_used_bytes{area=\"heap\"} "), single(body, "tally_inflight_batches "));
        }

        private static long single(final String body, final String prefix)
        {
            for (final String line : body.split("\n"))
            {
                if (line.startsWith(prefix))
                {
                    return value(line);
                }
            }
            throw new AssertionError("no " + prefix.strip() + " in /metrics");
        }

        private static long value(final String line)
        {
            return (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
    }
}
