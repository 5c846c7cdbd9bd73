package dev.tally.chaos.demo;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.tally.stack.clickhouse.Fault;
import dev.tally.stack.clickhouse.LocalClickHouse;

/**
 * The two ClickHouse faults of the demo, through the local server's fault endpoint: hold the next insert before it
 * is applied (so the engine can be killed with that insert provably in flight), and drop the acknowledgement of
 * the next insert after it is applied. What the server says it did is read from its counters.
 */
final class InsertFaults
{
    private final int port;
    private long acksLostBefore;

    InsertFaults(final int port)
    {
        this.port = port;
    }

    /**
     * Makes the server hold the next insert it receives (whole body read, not applied, no answer) and waits until
     * it holds one; false when no insert came within {@code timeout} (the hold is then disarmed).
     */
    boolean holdNextInsert(final Duration timeout) throws InterruptedException
    {
        LocalClickHouse.injectFault(port, Fault.STALL, 1);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (counter("stalled_now") < 1)
        {
            if (System.nanoTime() > deadline)
            {
                LocalClickHouse.clearFaults(port);
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    /** The next insert is applied and then its connection dropped without an answer. */
    void loseNextAck()
    {
        acksLostBefore = counter("lose_ack_fired");
        LocalClickHouse.injectFault(port, Fault.LOSE_ACK, 1);
    }

    /** Acknowledgements the server dropped since {@link #loseNextAck} (its counters live as long as the server). */
    long acksLost()
    {
        return counter("lose_ack_fired") - acksLostBefore;
    }

    /** Waits until the server holds no insert any more (a released one has been applied); false on timeout. */
    boolean awaitNoneHeld(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (counter("stalled_now") > 0)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    /** Disarms everything and lets a held insert go on (it is applied then, with nobody waiting for the answer). */
    void clear()
    {
        LocalClickHouse.clearFaults(port);
    }

    private long counter(final String key)
    {
        for (final String line : LocalClickHouse.status(port).split("\n"))
        {
            if (line.startsWith(key + "="))
            {
                return Long.parseLong(line.substring(key.length() + 1).strip());
            }
        }
        throw new IllegalStateException("the ClickHouse server on port " + port + " does not report " + key);
    }
}
