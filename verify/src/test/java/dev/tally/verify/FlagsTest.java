package dev.tally.verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line handling that needs no running services: bad flags exit 2, dead services exit 1, one line each. */
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
    void helpExitsZero()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--against-seed", "--wait-timeout");
    }

    private int run(final String... args)
    {
        return VerifyMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }
}
