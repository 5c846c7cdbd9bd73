package dev.tally.engine;

import dev.tally.engine.ingest.ReadBounds;
import dev.tally.engine.sink.Batch;
import dev.tally.engine.window.WindowKind;
import dev.tally.engine.window.WindowingConfig;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@link Engine} needs, set by {@code ./tally run}'s flags (or tests), checked once by {@link #conclude()}.
 * Field defaults are the documented defaults.
 */
public final class EngineConfig
{
    public String bootstrap = "127.0.0.1:19092";
    public String topic = "events";
    public String group = "tally";
    /** Side output to Kafka as well as to late_events; empty for none. */
    public String deadLetterTopic = "rollups.dlq";
    public String clickhouseUrl = "http://127.0.0.1:18123";
    public String database = "tally";
    public String clickhouseUser = "default";
    /** Never from a flag: the environment (TALLY_CLICKHOUSE_PASSWORD) or a file. */
    public String clickhousePassword = "";
    public String window = "both";
    public Duration watermarkDelay = Duration.ofMillis(WindowingConfig.DEFAULT_WATERMARK_DELAY_MS);
    public Duration allowedLateness = Duration.ofMillis(WindowingConfig.DEFAULT_ALLOWED_LATENESS_MS);
    public Duration maxFutureSkew = Duration.ofMillis(WindowingConfig.DEFAULT_MAX_FUTURE_SKEW_MS);
    public Duration emitInterval = Duration.ofSeconds(1);
    public int batchRows = 100_000;
    public Duration batchMaxWait = Duration.ofSeconds(1);
    public boolean asyncInsert;
    public boolean stopAtEnd;
    public int recordsRingSize = 1 << 16;
    public int rowsRingSize = 1 << 16;
    public int batchesInFlight = 8;
    public int expectedWindowRows = 1 << 20;
    public Duration connectTimeout = Duration.ofSeconds(10);
    /** How long one insert may take before the writer gives up on it and re-sends it (same bytes, same token). */
    public Duration insertTimeout = Duration.ofSeconds(60);
    /** {@link EosMode#EXACTLY_ONCE} (journal, tokens, ordered commit) or the at-least-once baseline. */
    public EosMode eosMode = EosMode.EXACTLY_ONCE;
    /** At-least-once baseline only: how often consumer positions are committed, as Kafka's auto-commit does. */
    public Duration commitInterval = Duration.ofSeconds(5);
    /** The write-ahead journal's directory; null for {@code var/journal/<group>} under the tally home. */
    public Path journalDir;
    /** Where the latency interval log and .hgrm files go; null for none (tests), set by run to var/latency/<group>. */
    public Path latencyDir;
    /** Force the journal to disk on every append (true) or leave it to the OS page cache (false). */
    public boolean journalSync;
    /** Kafka consumer group session timeout: how soon a dead instance's partitions move. */
    public Duration sessionTimeout = Duration.ofSeconds(10);
    /**
     * A backfill (set by {@code ./tally backfill}, null for live processing): where each partition is read, and
     * the generation and range of windows its rows are written for.
     */
    public ReadBounds readBounds;
    public int generation;
    public long rangeFromMs = WindowingConfig.UNBOUNDED_FROM;
    public long rangeToMs = WindowingConfig.UNBOUNDED_TO;
    /** Extra Kafka client settings (TLS, SASL) for every client the engine opens; see {@link KafkaClientSettings}. */
    public java.util.Map<String, String> kafkaClient = java.util.Map.of();

    private boolean concluded;

    /** Validates once; throws {@link IllegalArgumentException} naming the flag to fix. */
    public EngineConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        require(!bootstrap.isBlank(), "--bootstrap must name at least one broker");
        require(!topic.isBlank(), "--topic must not be empty");
        require(clickhouseUrl.startsWith("http://") || clickhouseUrl.startsWith("https://"),
            "--clickhouse-url must start with http:// or https://, not " + clickhouseUrl);
        require(database.matches("[A-Za-z_][A-Za-z0-9_]*"), "--database must be a plain identifier, not " + database);
        WindowKind.mask(window);
        require(!watermarkDelay.isNegative(), "--watermark-delay must not be negative");
        require(!allowedLateness.isNegative(), "--allowed-lateness must not be negative");
        require(!maxFutureSkew.isNegative(), "--max-future-skew must not be negative");
        require(emitInterval.toMillis() >= 10, "--emit-interval must be at least 10ms");
        require(batchRows >= 1, "--batch-rows must be at least 1");
        require(batchMaxWait.toMillis() >= 1, "--batch-max-wait must be at least 1ms");
        require(Integer.bitCount(recordsRingSize) == 1 && recordsRingSize >= 1024,
            "--ring-size must be a power of two >= 1024, not " + recordsRingSize);
        require(Integer.bitCount(rowsRingSize) == 1 && rowsRingSize >= 1024,
            "the rows ring size (EngineConfig.rowsRingSize, no flag) must be a power of two >= 1024, not " + rowsRingSize);
        // One open batch per table can be filling while the writer needs at least one more to make progress.
        require(batchesInFlight >= Batch.TABLES + 1,
            "--batches-in-flight must be at least " + (Batch.TABLES + 1) + ", not " + batchesInFlight);
        require(insertTimeout.toMillis() >= 100, "--insert-timeout must be at least 100ms");
        require(commitInterval.toMillis() >= 10, "--commit-interval must be at least 10ms");
        require(sessionTimeout.toMillis() >= 1_000 && sessionTimeout.toMillis() <= 3_600_000,
            "--session-timeout must be between 1s and 1h, not " + sessionTimeout);
        if (readBounds != null)
        {
            require(generation > 0, "a backfill needs a generation > 0");
            require(rangeFromMs < rangeToMs && rangeFromMs != WindowingConfig.UNBOUNDED_FROM,
                "a backfill needs a range of windows");
            require(eosMode == EosMode.EXACTLY_ONCE, "a backfill runs exactly-once only");
            require(deadLetterTopic.isEmpty(), "a backfill writes no dead-letter topic (the live engine did)");
            require(!stopAtEnd, "a backfill stops at the end of its range, not with --stop-at-end");
        }
        KafkaClientSettings.check(kafkaClient);
        if (journalDir == null)
        {
            journalDir = Path.of(System.getProperty("tally.home", "."), "var", "journal", group);
        }
        concluded = true;
        return this;
    }

    public WindowingConfig windowing()
    {
        final WindowingConfig live = new WindowingConfig(watermarkDelay.toMillis(), allowedLateness.toMillis(),
            maxFutureSkew.toMillis(), WindowKind.mask(window), 0, expectedWindowRows);
        return readBounds == null ? live : live.withRange(rangeFromMs, rangeToMs, generation);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
