package dev.tally.engine.backfill;

/** A backfill that must not run, or did not finish its range, with the reason and what to do (exit code 3). */
final class BackfillRefused extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    BackfillRefused(final String message)
    {
        super(message, null, false, false);
    }
}
