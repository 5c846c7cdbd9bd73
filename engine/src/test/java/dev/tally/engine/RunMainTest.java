package dev.tally.engine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Flags, their defaults from the environment and a properties file, and the exit codes of bad input. */
class RunMainTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return RunMain.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String errLines()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownFlagAndBadValuesAreOneLineAndExitTwo()
    {
        assertThat(run("--batch-rowz", "10")).isEqualTo(2);
        assertThat(run("--batch-rows", "0")).isEqualTo(2);
        assertThat(run("--allowed-lateness", "soon")).isEqualTo(2);
        assertThat(run("--window", "weekly")).isEqualTo(2);
        assertThat(errLines().lines().toList()).hasSize(4)
            .anySatisfy(l -> assertThat(l).contains("--batch-rowz"))
            .anySatisfy(l -> assertThat(l).contains("--batch-rows must be at least 1"))
            .anySatisfy(l -> assertThat(l).contains("soon"))
            .anySatisfy(l -> assertThat(l).contains("--window must be minute, hour or both"));
    }

    @Test
    void unreachableClickHouseIsOneLineAndExitOne()
    {
        assertThat(run("--clickhouse-url", "http://127.0.0.1:1", "--stop-at-end")).isEqualTo(1);
        assertThat(errLines().lines().toList()).singleElement()
            .satisfies(l -> assertThat(l).contains("ClickHouse at http://127.0.0.1:1 does not answer"));
    }

    @Test
    void flagBeatsEnvironmentBeatsConfigFile() throws Exception
    {
        final Path file = dir.resolve("tally.properties");
        Files.writeString(file, "batch-rows=111\nbatch-max-wait=250ms\ntopic=from-file\ngroup=file-group\n");
        final Map<String, String> env = Map.of("TALLY_BATCH_ROWS", "222", "TALLY_TOPIC", "from-env");
        final String[] args = {"--config", file.toString(), "--topic", "from-flag"};

        final RunMain main = new RunMain();
        final CommandLine cl = new CommandLine(main);
        cl.setDefaultValueProvider(new RunMain.EnvironmentDefaults(env, args));
        cl.parseArgs(args);
        final EngineConfig config = main.config();

        assertThat(config.topic).isEqualTo("from-flag");
        assertThat(config.batchRows).isEqualTo(222);
        assertThat(config.batchMaxWait).isEqualTo(Duration.ofMillis(250));
        assertThat(config.group).isEqualTo("file-group");
        assertThat(config.bootstrap).as("untouched default").isEqualTo("127.0.0.1:19092");
    }

    @Test
    void aMisspeltConfigKeyIsRefusedAndABackfillKeyIsNot() throws Exception
    {
        final Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "batch-rows=5000\nbatch_max_wait=2s\n");
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        final java.io.PrintStream errStream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RunMain.run(System.out, errStream, "--config", typo.toString(), "--help")).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
            .startsWith("tally run: --config " + typo + ": 'batch_max_wait' is not a flag");
        assertThat(dev.tally.engine.backfill.BackfillMain.run(System.out, errStream, "--config", typo.toString(),
            "--help")).as("the same file, read by backfill").isEqualTo(2);

        final Path shared = dir.resolve("shared.properties");
        Files.writeString(shared, "batch-rows=5000\nlive-group=tally\nring-size=4096\n");
        assertThat(RunMain.run(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), errStream,
            "--config", shared.toString(), "--help")).as("a backfill flag in a shared file").isZero();
        assertThat(dev.tally.engine.backfill.BackfillMain.run(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            errStream, "--config", shared.toString(), "--help")).as("a run flag in a shared file").isZero();
    }
}
