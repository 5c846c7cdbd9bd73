package dev.tally.verify;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The progress the engine records with each committed offset: the text {@code tally1 T=<t> W=<w> M=<m>}, a tag
 * followed by space-separated {@code key=value} tokens.
 * <p>
 * {@code T} is the offset up to which the effect of every record of the partition has been acknowledged by
 * ClickHouse (records at offsets {@code < T}). {@code W} and {@code M} are the partition's watermark state, which
 * verify does not need. Tokens with other keys are skipped so that later additions do not break old readers; each of
 * {@code T}, {@code W} and {@code M} must appear exactly once, as a decimal {@code long}, and {@code T} must not be
 * negative.
 *
 * @param acknowledged {@code T}: records below this offset are fully reflected in ClickHouse.
 * @param watermark    {@code W}: the engine's watermark for the partition.
 * @param maxEventTime {@code M}: the largest event time the watermark is derived from.
 */
public record CommitMetadata(long acknowledged, long watermark, long maxEventTime)
{
    /** The tag that starts every metadata text of this format. */
    public static final String TAG = "tally1";

    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");

    /**
     * Parse committed offset metadata.
     *
     * @param text the metadata string of an {@code OffsetAndMetadata}, possibly null or empty.
     * @return the values, or empty if the text is not in this format (missing tag, missing, repeated or
     * non-numeric T, W or M, or a negative T).
     */
    public static Optional<CommitMetadata> parse(final String text)
    {
        if (text == null)
        {
            return Optional.empty();
        }
        final String[] tokens = SPACES.split(text.strip());
        if (tokens.length < 4 || !TAG.equals(tokens[0]))
        {
            return Optional.empty();
        }
        final Long[] values = new Long[3];
        for (int i = 1; i < tokens.length; i++)
        {
            final String token = tokens[i];
            final int eq = token.indexOf('=');
            if (eq <= 0)
            {
                return Optional.empty();
            }
            final int slot = slot(token.substring(0, eq));
            if (slot < 0)
            {
                continue;
            }
            final Long value = parseLong(token.substring(eq + 1));
            if (value == null || values[slot] != null)
            {
                return Optional.empty();
            }
            values[slot] = value;
        }
        if (values[0] == null || values[1] == null || values[2] == null || values[0] < 0)
        {
            return Optional.empty();
        }
        return Optional.of(new CommitMetadata(values[0], values[1], values[2]));
    }

    /**
     * Format values the way the engine writes them; the inverse of {@link #parse(String)}.
     *
     * @return {@code tally1 T=<t> W=<w> M=<m>}.
     */
    public String format()
    {
        return TAG + " T=" + acknowledged + " W=" + watermark + " M=" + maxEventTime;
    }

    private static int slot(final String key)
    {
        return switch (key)
        {
            case "T" -> 0;
            case "W" -> 1;
            case "M" -> 2;
            default -> -1;
        };
    }

    private static Long parseLong(final String value)
    {
        if (!DECIMAL.matcher(value).matches())
        {
            return null;
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            return null;
        }
    }
}
