package dev.tally.engine;

/** A failure the user can fix (a service that does not answer, a missing topic); its message is one line. */
public final class EngineException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public EngineException(final String message)
    {
        super(message);
    }
}
