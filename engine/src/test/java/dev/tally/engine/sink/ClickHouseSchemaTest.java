package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DDL runs twice without harm, and the views give one row per key: partitions summed, highest version each. */
class ClickHouseSchemaTest
{
    private static final long WINDOW = 1_767_225_600_000L;
    private static final int US = 0x5553;
    private static final int DE = 0x4445;

    @TempDir
    Path dir;

    @Test
    void rejectsDatabaseNamesThatAreNotPlainIdentifiers()
    {
        assertThatThrownBy(() -> ClickHouseSchema.statements("tally; DROP TABLE x"))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseSchema.statements("tally", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClickHouseSchema.statements("t", 7)).allSatisfy(sql -> assertThat(sql).contains("IF NOT EXISTS"));
    }

    @Test
    void createsIdempotentlyAndViewsCollapseVersionsAndPartitions() throws Exception
    {
        final ServiceProcess server = LocalClickHouse.start("clickhouse-schema-test", Ports.freePort(),
            dir.resolve("data"), dir.resolve("clickhouse.log"), LocalClickHouse.Options.defaults());
        try (Client client = new Client.Builder().addEndpoint(server.endpoint()).setUsername("default")
            .setPassword("").setSocketTimeout(60, ChronoUnit.SECONDS).build())
        {
            ClickHouseSchema.create(client, "tally_schema");
            ClickHouseSchema.create(client, "tally_schema");
            ClickHouseSchema.create(client, "tally_small", 7);

            // The baseline's flavour sums, remembers no insert, and the two flavours never share a database.
            ClickHouseSchema.create(client, "tally_naive", 7, true);
            assertThat(client.queryAll("SELECT engine, create_table_query FROM system.tables WHERE " +
                "database = 'tally_naive' AND name = 'rollup_minute'")).singleElement().satisfies(r ->
            {
                assertThat(r.getString(1)).isEqualTo("SummingMergeTree");
                assertThat(r.getString(2)).contains("non_replicated_deduplication_window = 0");
            });
            assertThatThrownBy(() -> ClickHouseSchema.create(client, "tally_naive"))
                .hasMessageContaining("holds SummingMergeTree rollup tables");
            assertThatThrownBy(() -> ClickHouseSchema.create(client, "tally_schema", 7, true))
                .hasMessageContaining("holds ReplacingMergeTree rollup tables");

            final List<GenericRecord> tables = client.queryAll("SELECT name, engine, partition_key, sorting_key, " +
                "create_table_query FROM system.tables WHERE database = 'tally_schema' ORDER BY name");
            assertThat(tables).extracting(r -> r.getString(1) + "|" + r.getString(2) + "|" + r.getString(3) + "|" +
                r.getString(4)).containsExactly(
                "late_events|ReplacingMergeTree||source_partition, offset, window_kind",
                "rollup_hour|ReplacingMergeTree|toYYYYMM(window_start)|" +
                    "window_start, account_id, country, source_partition",
                "rollup_hour_final|View||",
                "rollup_minute|ReplacingMergeTree|toYYYYMMDD(window_start)|" +
                    "window_start, account_id, country, source_partition",
                "rollup_minute_final|View||");
            assertThat(tables).filteredOn(r -> r.getString(2).equals("ReplacingMergeTree"))
                .allSatisfy(r -> assertThat(r.getString(5)).contains("non_replicated_deduplication_window = 1000"));
            assertThat(client.queryAll("SELECT create_table_query FROM system.tables " +
                "WHERE database = 'tally_small' AND name = 'late_events'").getFirst().getString(1))
                .contains("non_replicated_deduplication_window = 7");
            assertThat(client.queryAll("SELECT type FROM system.columns WHERE database = 'tally_schema' " +
                "AND table = 'rollup_minute' ORDER BY position")).extracting(r -> r.getString(1)).containsExactly(
                "DateTime('UTC')", "UInt64", "LowCardinality(String)", "UInt16", "UInt64", "Int128", "UInt64",
                "UInt64", "DateTime64(3, 'UTC')");

            // US: partition 0 at versions 1 then 2 (separate inserts, separate parts), partition 1 at version 3.
            insert(client, "tally_schema.rollup_minute", row(1, US, 0, 5, 50, 1));
            insert(client, "tally_schema.rollup_minute", row(1, US, 0, 7, 70, 2));
            insert(client, "tally_schema.rollup_minute", row(1, US, 1, 4, -4, 3));
            insert(client, "tally_schema.rollup_minute", row(2, DE, 0, 1, 10, 1));
            insert(client, "tally_schema.rollup_hour", row(1, US, 0, 9, 90, 1));
            insert(client, "tally_schema.rollup_hour", row(1, US, 0, 12, 120, 4));
            insert(client, "tally_schema.rollup_hour", row(1, US, 3, 1, 1, 1));

            final List<GenericRecord> minute = client.queryAll("SELECT toUnixTimestamp(window_start), account_id, " +
                "country, toString(event_count), toString(sum_amount) FROM tally_schema.rollup_minute_final " +
                "ORDER BY account_id");
            assertThat(minute).extracting(r -> r.getLong(1) * 1000 + "|" + r.getLong(2) + "|" + r.getString(3) +
                "|" + r.getString(4) + "|" + r.getString(5)).containsExactly(
                WINDOW + "|1|US|11|66",
                WINDOW + "|2|DE|1|10");
            final List<GenericRecord> hour = client.queryAll("SELECT account_id, toString(event_count), " +
                "toString(sum_amount) FROM tally_schema.rollup_hour_final");
            assertThat(hour).extracting(r -> r.getLong(1) + "|" + r.getString(2) + "|" + r.getString(3))
                .containsExactly("1|13|121");

            // Creating again with data in place changes nothing.
            ClickHouseSchema.create(client, "tally_schema");
            assertThat(client.queryAll("SELECT toString(sum(event_count)) FROM tally_schema.rollup_minute_final")
                .getFirst().getString(1)).isEqualTo("12");
        }
        finally
        {
            LocalClickHouse.stop(server);
        }
    }

    private static byte[] row(final long account, final int country, final int partition, final long count,
        final long sum, final long version)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(RollupRowEncoder.ROW_LENGTH);
        final int length = RollupRowEncoder.encode(buffer, 0, WINDOW, account, country, partition, count, sum,
            sum < 0 ? -1L : 0L, version, version, WINDOW + 61_000);
        return java.util.Arrays.copyOf(buffer.byteArray(), length);
    }

    private static void insert(final Client client, final String table, final byte[] rows) throws Exception
    {
        client.insert(table, new ByteArrayInputStream(rows), ClickHouseFormat.RowBinary, new InsertSettings())
            .get(60, TimeUnit.SECONDS).close();
    }
}
