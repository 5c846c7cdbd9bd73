package dev.tally.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Command-line handling that needs no running services: bad flags exit 2, dead services exit 1, one line each; and
 * how the {@code --summary} file is written.
 */
class FlagsTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void durationsAreReadLikeTheEngineReadsThem()
    {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationConverter.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("250")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> DurationConverter.parse("1.5s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("-2s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("2d")).hasMessageContaining("not a duration");
    }

    @Test
    void genFlagsTakeTheShapingFlagsAndIgnoreTheRest()
    {
        final GenShape shape = GenShape.parse("--bootstrap 127.0.0.1:1 --seed 42 --events 10 --rate 0 " +
            "--time-rate 2000 --accounts 1000 --lag-mean 1.5s --late-max 5m");
        assertThat(shape.rate).isZero();
        assertThat(shape.timeRate).isEqualTo(2000);
        assertThat(shape.accounts).isEqualTo(1000);
        assertThat(shape.lagMeanMs).isEqualTo(1500);
        assertThat(shape.lateMaxMs).isEqualTo(300_000);
        assertThat(shape.config(42, 7).seed()).isEqualTo(42);
        assertThat(GenShape.parse(null).config(1, 0).fingerprint())
            .isEqualTo(new dev.tally.gen.GenConfig().fingerprint());
        assertThatThrownBy(() -> GenShape.parse("--accounts 0")).isInstanceOf(VerifyException.class)
            .hasMessageContaining("--accounts");
    }

    @Test
    void badFlagsExitTwoWithOneLine()
    {
        assertThat(run("--window", "day")).isEqualTo(2);
        assertThat(run("--watermark-delay", "soon")).isEqualTo(2);
        assertThat(run("--max-diff", "-1")).isEqualTo(2);
        assertThat(run("--gen-flags", "--accounts 5")).isEqualTo(2);
        assertThat(run("--no-such-flag")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(5)
            .allMatch(l -> l.startsWith("tally verify: "));
    }

    @Test
    void unreachableKafkaExitsOneNamingWhatToDo()
    {
        assertThat(run("--bootstrap", "127.0.0.1:" + dev.tally.stack.Ports.freePort())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
            .contains("cannot reach Kafka", "./tally stack up", "--bootstrap");
    }

    @Test
    void summaryTakesAFileInAnExistingDirectoryAndIsWrittenOnlyWithAVerdict(@TempDir final Path dir)
        throws IOException
    {
        assertThat(run("--summary", dir.resolve("no-such-dir").resolve("verify.properties").toString())).isEqualTo(2);
        assertThat(run("--summary", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(2)
            .allMatch(l -> l.startsWith("tally verify: --summary "));

        final Path stale = Files.writeString(dir.resolve("verify.properties"), "exit=0\n");
        assertThat(run("--summary", stale.toString(), "--window", "day")).isEqualTo(2);
        assertThat(stale).as("a summary left by an earlier run, when this one gives no verdict").doesNotExist();
    }

    @Test
    void summaryIsAPropertiesFileReplacedAtomically(@TempDir final Path dir) throws IOException
    {
        final Path file = Files.writeString(dir.resolve("verify.properties"), "exit=0\n");
        final Summary summary = new Summary();
        summary.properties().setProperty("exit", "3");
        summary.properties().setProperty("topic", "events");
        summary.write(file);

        final Properties read = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            read.load(in);
        }
        assertThat(read).isEqualTo(summary.properties());
        try (Stream<Path> files = Files.list(dir))
        {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void helpExitsZero()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--against-seed", "--wait-timeout", "--summary");
    }

    private int run(final String... args)
    {
        return VerifyMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }
}
