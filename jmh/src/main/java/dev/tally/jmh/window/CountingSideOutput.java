package dev.tally.jmh.window;

import dev.tally.engine.window.SideOutputSink;

/** Counts side-output records by reason, so the benchmark can show how many records took each path. */
final class CountingSideOutput implements SideOutputSink
{
    private long malformed;
    private long future;
    private long late;

    @Override
    public void onSideOutput(final int partition, final long offset, final int reason, final int kind)
    {
        if (reason == LATE)
        {
            late++;
        }
        else if (reason == FUTURE)
        {
            future++;
        }
        else
        {
            malformed++;
        }
    }

    long malformed()
    {
        return malformed;
    }

    long future()
    {
        return future;
    }

    long late()
    {
        return late;
    }
}
