package dev.tally.verify;

/**
 * A condition that stops verify before it can give a verdict, with the one line that tells the user what to do and
 * the exit code: 1 for something to fix outside verify (unreachable service, missing topic or database, timeout),
 * 2 for a bad flag or value.
 */
final class VerifyException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    VerifyException(final int exitCode, final String message)
    {
        super(message);
        this.exitCode = exitCode;
    }

    VerifyException(final int exitCode, final String message, final Throwable cause)
    {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode()
    {
        return exitCode;
    }
}
