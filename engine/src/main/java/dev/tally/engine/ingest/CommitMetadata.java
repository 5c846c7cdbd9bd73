package dev.tally.engine.ingest;

/**
 * The metadata tally commits with each partition's offset: {@code tally1 T=<t> W=<w> M=<m>}. The committed offset
 * is the low water R a replay starts from; T is the position up to which every record's rows are acknowledged by
 * ClickHouse, W the watermark at T and M the largest event time before R. Any instance taking the partition over
 * restores from it.
 */
public record CommitMetadata(long position, long watermark, long maxTime)
{
    public static final String TAG = "tally1";

    public String format()
    {
        return TAG + " T=" + position + " W=" + watermark + " M=" + maxTime;
    }

    /** Parses metadata written by {@link #format()}; null when it is not tally's. */
    public static CommitMetadata parse(final String text)
    {
        if (text == null || !text.startsWith(TAG + " "))
        {
            return null;
        }
        Long t = null;
        Long w = null;
        Long m = null;
        for (final String token : text.substring(TAG.length()).trim().split("\\s+"))
        {
            final int eq = token.indexOf('=');
            if (eq <= 0)
            {
                return null;
            }
            final long value;
            try
            {
                value = Long.parseLong(token.substring(eq + 1));
            }
            catch (final NumberFormatException e)
            {
                return null;
            }
            switch (token.substring(0, eq))
            {
                case "T" -> t = value;
                case "W" -> w = value;
                case "M" -> m = value;
                default ->
                {
                    // Unknown keys are ignored, so later versions may add some.
                }
            }
        }
        return t == null || w == null || m == null ? null : new CommitMetadata(t, w, m);
    }
}
