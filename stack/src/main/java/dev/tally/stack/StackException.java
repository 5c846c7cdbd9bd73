package dev.tally.stack;

/** A failure of the local stack whose message is one line telling the user what to fix. */
public final class StackException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public StackException(final String message)
    {
        super(message);
    }

    public StackException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
