package dev.tally.stack;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad flags and values: one line on stderr, exit code 2, nothing started. */
class CliTest
{
    private String err;

    private int run(final String... args)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintWriter w = new PrintWriter(bytes, true, StandardCharsets.UTF_8);
        final int code = Cli.execute(new StackMain(), w, args);
        err = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void unknownFlagIsUsageError()
    {
        assertThat(run("up", "--brokerz", "3")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err).contains("--brokerz");
    }

    @Test
    void badValueIsUsageError()
    {
        assertThat(run("up", "--brokers", "2")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err).contains("--brokers must be 1 or 3, not 2");

        assertThat(run("up", "--kafka-port", "http")).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err.lines().count()).isEqualTo(1);
    }

    @Test
    void missingSubcommandIsUsageError()
    {
        assertThat(run()).isEqualTo(Cli.EXIT_USAGE);
        assertThat(err).contains("missing subcommand");
    }

    @Test
    void helpListsTheSubcommands()
    {
        final StringBuilder usage = new StringBuilder(new CommandLine(new StackMain()).getUsageMessage());
        assertThat(usage).contains("up", "down", "status");
    }
}
