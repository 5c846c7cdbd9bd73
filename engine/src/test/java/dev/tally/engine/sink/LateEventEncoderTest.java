package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.engine.window.SideOutputSink;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Side-output rows written by the encoder into the real late_events table and read back column by column. */
class LateEventEncoderTest
{
    private static final long DETECTED = 1_767_225_661_123L;

    @TempDir
    Path dir;

    @Test
    void varIntLengthMatchesTheEncodedLength()
    {
        final int[] values = {0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456,
            Integer.MAX_VALUE};
        final int[] expected = {1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
        for (int i = 0; i < values.length; i++)
        {
            assertThat(LateEventEncoder.varIntLength(values[i])).as("%d", values[i]).isEqualTo(expected[i]);
        }
        assertThat(LateEventEncoder.length(128, SideOutputSink.LATE) - LateEventEncoder.length(127,
            SideOutputSink.LATE)).isEqualTo(2);
        assertThat(LateEventEncoder.length(0, SideOutputSink.MALFORMED)).isEqualTo(43 + 1 + 9 + 1 + 1);
        assertThatThrownBy(() -> LateEventEncoder.length(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LateEventEncoder.length(0, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clickHouseReadsBackEveryColumnExactly() throws Exception
    {
        final byte[] malformedRaw = "{\"account\":\n\n12".getBytes(StandardCharsets.UTF_8);
        final byte[] longRaw = new byte[300];
        for (int i = 0; i < longRaw.length; i++)
        {
            longRaw[i] = (byte)(i % 3 == 0 ? '\n' : i);
        }
        final byte[] nlRaw = {'\n', '\n', 0, (byte)0xFF, '\n', '\n'};
        final Object[][] rows = {
            // partition, offset, kind, reason, eventTime, account, country, amount, raw
            {3, 100L, SideOutputSink.NO_KIND, SideOutputSink.MALFORMED, 0L, 0L, 0x5553, 0L, malformedRaw},
            {65_535, -1L, SideOutputSink.NO_KIND, SideOutputSink.FUTURE, 1_767_229_999_999L, -1L, 0x4445,
                Long.MIN_VALUE, new byte[0]},
            {0, 0x0A0AL, 0, SideOutputSink.LATE, 1_767_225_600_010L, 0x0A0AL, 0x4A50, -5L, longRaw},
            {0, 0x0A0AL, 1, SideOutputSink.LATE, 1_767_225_600_010L, 1L << 40, 0x4652, Long.MAX_VALUE, nlRaw},
        };

        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        int offset = 0;
        final List<String> expected = new ArrayList<>();
        for (final Object[] r : rows)
        {
            final byte[] raw = (byte[])r[8];
            final int reason = (int)r[3];
            final int length = LateEventEncoder.length(raw.length, reason);
            buffer.checkLimit(offset + length);
            final int next = LateEventEncoder.encode(buffer, offset, (int)r[0], (long)r[1], (int)r[2], reason,
                (long)r[4], (long)r[5], (int)r[6], (long)r[7], raw.length == 0 ? null : new UnsafeBuffer(raw), 0,
                raw.length, DETECTED);
            assertThat(next - offset).isEqualTo(length);
            offset = next;
            final int country = reason == SideOutputSink.MALFORMED ? 0 : (int)r[6];
            expected.add(r[0] + "|" + Long.toUnsignedString((long)r[1]) + "|" + r[2] + "|" +
                SideOutputSink.reasonName(reason) + "|" + r[4] + "|" + Long.toUnsignedString((long)r[5]) + "|" +
                (country == 0 ? "" : "" + (char)(country >>> 8) + (char)(country & 0xFF)) + "|" + r[7] + "|" +
                HexFormat.of().withUpperCase().formatHex(raw) + "|" + DETECTED);
        }

        final ServiceProcess server = LocalClickHouse.start("clickhouse-late-test", Ports.freePort(),
            dir.resolve("data"), dir.resolve("clickhouse.log"), LocalClickHouse.Options.defaults());
        try (Client client = new Client.Builder().addEndpoint(server.endpoint()).setUsername("default")
            .setPassword("").setSocketTimeout(60, ChronoUnit.SECONDS).build())
        {
            ClickHouseSchema.create(client, "tally_late");
            client.insert("tally_late.late_events", new ByteArrayInputStream(buffer.byteArray(), 0, offset),
                ClickHouseFormat.RowBinary, new InsertSettings()).get(60, TimeUnit.SECONDS).close();

            final List<GenericRecord> back = client.queryAll("SELECT source_partition, toString(`offset`), " +
                "window_kind, reason, toUnixTimestamp64Milli(event_time), toString(account_id), country, amount, " +
                "hex(raw), toUnixTimestamp64Milli(detected_at) FROM tally_late.late_events " +
                "ORDER BY source_partition DESC, `offset`, window_kind");
            final List<String> actual = back.stream().map(r -> r.getInteger(1) + "|" + r.getString(2) + "|" +
                r.getInteger(3) + "|" + r.getString(4) + "|" + r.getLong(5) + "|" + r.getString(6) + "|" +
                r.getString(7) + "|" + r.getLong(8) + "|" + r.getString(9) + "|" + r.getLong(10)).toList();
            // Sorted by partition descending, then offset, then kind: the rows' order above is exactly that.
            assertThat(actual).containsExactlyElementsOf(List.of(expected.get(1), expected.get(0), expected.get(2),
                expected.get(3)));
        }
        finally
        {
            LocalClickHouse.stop(server);
        }
    }
}
