package dev.tally.stack;

import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * Runs a picocli command the tally way: a bad flag or value is one line on stderr and exit code 2; a failure the
 * user can fix ({@link StackException}) is one line and exit code 1; anything else is a bug and prints its trace.
 */
public final class Cli
{
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private Cli()
    {
    }

    public static int execute(final Object command, final String... args)
    {
        return execute(command, new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(Object, String...)}, with errors written to {@code err}. */
    public static int execute(final Object command, final PrintWriter err, final String... args)
    {
        final CommandLine cl = new CommandLine(command);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) ->
        {
            ex.getCommandLine().getErr().println("tally " + ex.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^tally ", "") +
                ": " + ex.getMessage() + " (see --help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) ->
        {
            if (ex instanceof StackException)
            {
                c.getErr().println("tally " + c.getCommandSpec().qualifiedName(" ").replaceFirst("^tally ", "") +
                    ": " + ex.getMessage());
                return EXIT_FAILURE;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** {@code --version}: the implementation version in the jar's manifest. */
    public static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"tally " + (v == null ? "(development build)" : v)};
        }
    }
}
