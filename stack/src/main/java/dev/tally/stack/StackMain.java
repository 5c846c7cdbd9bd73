package dev.tally.stack;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./tally stack up|down|status}: the local Kafka and ClickHouse, as processes started and stopped by pid. */
@Command(name = "stack", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Start, inspect and stop the local stack: Kafka (KRaft) and ClickHouse on 127.0.0.1.",
    subcommands = {StackMain.Up.class, StackMain.Down.class, StackMain.Status.class})
public final class StackMain implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(Cli.execute(new StackMain(), args));
    }

    @Override
    public Integer call()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: up, down or status");
    }

    /** Options shared by the subcommands. */
    static final class VarOption
    {
        @Option(names = "--var", paramLabel = "DIR",
            description = "Folder for runtime data and the stack's state file (default: var/ in the repository).")
        Path var;

        Path dir()
        {
            return var != null ? var.toAbsolutePath().normalize() : TallyHome.var();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Kafka and ClickHouse (or what is missing of them) and wait until both answer.")
    static final class Up implements Callable<Integer>
    {
        @CommandLine.Mixin
        VarOption var = new VarOption();

        @CommandLine.Mixin
        StackOptions options = new StackOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            final LocalStack.Result result = LocalStack.up(var.dir(), options.conclude(spec.commandLine()), System.out);
            System.out.println(result.summary());
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stop exactly the processes 'stack up' started (by pid); data under var/ is kept.")
    static final class Down implements Callable<Integer>
    {
        @CommandLine.Mixin
        VarOption var = new VarOption();

        @Override
        public Integer call()
        {
            LocalStack.down(var.dir(), System.out);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Report each process of the stack and whether it answers; exit 0 only when all are healthy.")
    static final class Status implements Callable<Integer>
    {
        @CommandLine.Mixin
        VarOption var = new VarOption();

        @Override
        public Integer call()
        {
            return LocalStack.status(var.dir(), System.out) ? 0 : 1;
        }
    }
}
