package dev.tally.codec;

/**
 * Kinds of event, as carried in the {@code kind} byte of the wire format and as names in the JSON form.
 */
public final class EventKind
{
    /** A purchase: a positive amount in minor units. */
    public static final int PURCHASE = 0;

    /** A refund: a negative amount in minor units. */
    public static final int REFUND = 1;

    /** A page or product view: amount zero. */
    public static final int VIEW = 2;

    /** Anything else: amount usually zero. */
    public static final int OTHER = 3;

    /** Number of kinds; valid kinds are {@code 0 .. COUNT - 1}. */
    public static final int COUNT = 4;

    private static final String[] NAMES = { "purchase", "refund", "view", "other" };

    private EventKind()
    {
    }

    /**
     * Is the value a kind defined by format version 1?
     *
     * @param kind value of the kind byte.
     * @return true if {@code 0 <= kind < COUNT}.
     */
    public static boolean isValid(final int kind)
    {
        return kind >= 0 && kind < COUNT;
    }

    /**
     * The JSON name of a kind, e.g. {@code "purchase"}.
     *
     * @param kind a valid kind.
     * @return its lower-case name.
     */
    public static String name(final int kind)
    {
        if (!isValid(kind))
        {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        return NAMES[kind];
    }

    /**
     * The kind with the given JSON name.
     *
     * @param name lower-case name.
     * @return the kind, or -1 if the name is not one of the four.
     */
    public static int of(final String name)
    {
        for (int i = 0; i < COUNT; i++)
        {
            if (NAMES[i].equals(name))
            {
                return i;
            }
        }
        return -1;
    }
}
