package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
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

/** RowBinary rows read back by ClickHouse itself, column by column, including Int128 and UInt64 extremes. */
class RollupRowEncoderTest
{
    private static final String COLUMNS = "window_start DateTime('UTC'), account_id UInt64, " +
        "country LowCardinality(String), source_partition UInt16, event_count UInt64, sum_amount Int128, " +
        "version UInt64, batch_id UInt64, emitted_at DateTime64(3, 'UTC')";

    @TempDir
    Path dir;

    @Test
    void clickHouseReadsBackEveryColumnExactly() throws Exception
    {
        final long[][] rows = {
            // windowStartMs, account, country, partition, count, sumLo, sumHi, version, batch, emittedAt
            {1_767_225_600_000L, 1, 0x5553, 0, 1, 42, 0, 1, 7, 1_767_225_661_123L},
            {1_767_225_660_000L, -1L, 0x4445, 65_535, -1L, -1L, Long.MAX_VALUE, -1L, -1L, 1_767_225_661_999L},
            {1_767_229_200_000L, 1L << 40, 0x4A50, 17, 3, 0, Long.MIN_VALUE, (5L << 48) | 99, 1, 0},
            // \n\n inside the binary body: account id bytes 0x0A0A.
            {1_767_225_600_000L, 0x0A0A, 0x4652, 10, 10, 0x0A0A0A0A, -1L, 0x0A0A, 0x0A0A, 1_767_225_600_010L},
        };
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(RollupRowEncoder.ROW_LENGTH * rows.length);
        int offset = 0;
        for (final long[] r : rows)
        {
            final int next = RollupRowEncoder.encode(buffer, offset, r[0], r[1], (int)r[2], (int)r[3], r[4], r[5], r[6],
                r[7], r[8], r[9]);
            assertThat(next - offset).isEqualTo(RollupRowEncoder.ROW_LENGTH);
            offset = next;
        }

        final ServiceProcess server = LocalClickHouse.start("clickhouse-encoder-test", Ports.freePort(),
            dir.resolve("data"), dir.resolve("clickhouse.log"), LocalClickHouse.Options.defaults());
        try (Client client = new Client.Builder().addEndpoint(server.endpoint()).setUsername("default").setPassword("")
            .setSocketTimeout(60, ChronoUnit.SECONDS).build())
        {
            client.execute("CREATE TABLE rollup (" + COLUMNS + ") ENGINE = MergeTree ORDER BY tuple()")
                .get(60, TimeUnit.SECONDS).close();
            client.insert("rollup", new ByteArrayInputStream(buffer.byteArray(), 0, offset), ClickHouseFormat.RowBinary,
                new InsertSettings()).get(60, TimeUnit.SECONDS).close();
            final List<GenericRecord> back = client.queryAll("SELECT toUnixTimestamp(window_start), " +
                "toString(account_id), country, source_partition, toString(event_count), toString(sum_amount), " +
                "toString(version), toString(batch_id), toUnixTimestamp64Milli(emitted_at) FROM rollup " +
                "ORDER BY toString(sum_amount), account_id");
            assertThat(back).hasSize(rows.length);
            final List<String> expected = java.util.Arrays.stream(rows).map(RollupRowEncoderTest::asText)
                .sorted(java.util.Comparator.comparing((String s) -> s.split("\\|")[5]).thenComparing(s -> s))
                .toList();
            final List<String> actual = back.stream().map(r -> r.getLong(1) * 1000 + "|" + r.getString(2) + "|" +
                r.getString(3) + "|" + r.getInteger(4) + "|" + r.getString(5) + "|" + r.getString(6) + "|" +
                r.getString(7) + "|" + r.getString(8) + "|" + r.getLong(9)).sorted(
                java.util.Comparator.comparing((String s) -> s.split("\\|")[5]).thenComparing(s -> s)).toList();
            assertThat(actual).containsExactlyElementsOf(expected);
        }
        finally
        {
            LocalClickHouse.stop(server);
        }
    }

    private static String asText(final long[] r)
    {
        final String country = "" + (char)(r[2] >>> 8) + (char)(r[2] & 0xFF);
        final BigInteger sum = BigInteger.valueOf(r[6]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(r[5])));
        return r[0] + "|" + Long.toUnsignedString(r[1]) + "|" + country + "|" + r[3] + "|" +
            Long.toUnsignedString(r[4]) + "|" + sum + "|" + Long.toUnsignedString(r[7]) + "|" +
            Long.toUnsignedString(r[8]) + "|" + r[9];
    }
}
