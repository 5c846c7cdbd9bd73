package dev.tally.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class GenMainTest
{
    @Test
    void badFlagsExitWithTwoAndOneLine()
    {
        assertThat(runCapturing("--rate", "fast")).startsWith("2:tally gen: Invalid value for option '--rate'");
        assertThat(runCapturing("--late-fraction", "1.5")).isEqualTo("2:tally gen: --late-fraction must be in [0, 1]" +
            " (see ./tally gen --help)\n");
        assertThat(runCapturing("--no-such-flag")).startsWith("2:tally gen: Unknown option: '--no-such-flag'");
        assertThat(runCapturing("--out-of-order-spread", "2 parsecs")).startsWith("2:tally gen: ");
    }

    @Test
    void unreachableKafkaSaysWhichBootstrapAndExitsWithOne()
    {
        final String result = runCapturing("--bootstrap", "127.0.0.1:9", "--connect-timeout", "1s");
        assertThat(result).isEqualTo("1:tally gen: Kafka at 127.0.0.1:9 did not answer within 1000 ms; " +
            "run ./tally stack up or pass --bootstrap\n");
    }

    @Test
    void dryRunMeasuresTheGeneratorAlone()
    {
        assertThat(runCapturing("--dry-run", "--events", "10000")).startsWith("0:tally gen --dry-run: 10,000 events");
    }

    @Test
    void durationsAcceptUnits()
    {
        assertThat(Converters.parseMillis("2s")).isEqualTo(2_000);
        assertThat(Converters.parseMillis("500ms")).isEqualTo(500);
        assertThat(Converters.parseMillis("1.5m")).isEqualTo(90_000);
        assertThat(Converters.parseMillis("1h")).isEqualTo(3_600_000);
        assertThat(Converters.parseMillis("250")).isEqualTo(250);
        assertThat(new Converters.EpochMillis().convert("1970-01-01T00:00:01Z")).isEqualTo(1_000L);
    }

    private static synchronized String runCapturing(final String... args)
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final int code = GenMain.run(args);
            return code + ":" + captured.toString(StandardCharsets.UTF_8);
        }
        finally
        {
            System.setErr(original);
        }
    }
}
