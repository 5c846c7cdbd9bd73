package dev.tally.engine.sink;

import java.io.InputStream;

/**
 * The body of an insert for {@link CrashPoint#MID_INSERT}: hands out the first half of the bytes, then halts the JVM
 * when the HTTP client asks for more, so the process dies while the request body is being streamed.
 */
final class HaltingInputStream extends InputStream
{
    private final byte[] body;
    private final int half;
    private int position;

    HaltingInputStream(final byte[] body, final int length)
    {
        this.body = body;
        this.half = Math.max(1, length / 2);
    }

    @Override
    public int read()
    {
        if (position >= half)
        {
            CrashPoint.halt();
        }
        return body[position++] & 0xFF;
    }

    @Override
    public int read(final byte[] dst, final int offset, final int length)
    {
        if (length == 0)
        {
            return 0;
        }
        if (position >= half)
        {
            CrashPoint.halt();
        }
        final int n = Math.min(length, half - position);
        System.arraycopy(body, position, dst, offset, n);
        position += n;
        return n;
    }
}
