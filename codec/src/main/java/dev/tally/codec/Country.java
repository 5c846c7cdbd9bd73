package dev.tally.codec;

/**
 * Countries as ISO 3166 alpha-2 codes packed into an int: {@code (first << 8) | second}, both upper-case ASCII.
 * <p>
 * Validity means two letters {@code A-Z}; the code is not checked against the list of assigned codes, so
 * user-assigned codes such as {@code XK} pass. {@link #index(int)} maps a code to a dense {@code 0 .. 675} slot.
 */
public final class Country
{
    /** Number of distinct two-letter codes: the size of an array indexed by {@link #index(int)}. */
    public static final int CODE_SPACE = 26 * 26;

    private Country()
    {
    }

    /**
     * Is the byte an upper-case ASCII letter?
     *
     * @param b byte value.
     * @return true for {@code 'A' .. 'Z'}.
     */
    public static boolean isLetter(final int b)
    {
        return b >= 'A' && b <= 'Z';
    }

    /**
     * Pack two letters into a code without checking them.
     *
     * @param first  first letter.
     * @param second second letter.
     * @return the packed code.
     */
    public static int pack(final int first, final int second)
    {
        return ((first & 0xFF) << 8) | (second & 0xFF);
    }

    /**
     * Is the packed code two upper-case letters?
     *
     * @param code packed code.
     * @return true if valid.
     */
    public static boolean isValid(final int code)
    {
        return (code & 0xFFFF_0000) == 0 && isLetter(first(code)) && isLetter(second(code));
    }

    /**
     * First letter of a packed code.
     *
     * @param code packed code.
     * @return the first letter as an ASCII value.
     */
    public static int first(final int code)
    {
        return (code >>> 8) & 0xFF;
    }

    /**
     * Second letter of a packed code.
     *
     * @param code packed code.
     * @return the second letter as an ASCII value.
     */
    public static int second(final int code)
    {
        return code & 0xFF;
    }

    /**
     * Dense slot of a valid code, for array-indexed tables.
     *
     * @param code valid packed code.
     * @return {@code 0 .. CODE_SPACE - 1}.
     */
    public static int index(final int code)
    {
        return (first(code) - 'A') * 26 + (second(code) - 'A');
    }

    /**
     * Packed code of a two-letter string such as {@code "DE"}.
     *
     * @param alpha2 two upper-case letters.
     * @return the packed code.
     */
    public static int of(final String alpha2)
    {
        if (alpha2.length() != 2)
        {
            throw new IllegalArgumentException("country must be two letters: " + alpha2);
        }
        final int code = pack(alpha2.charAt(0), alpha2.charAt(1));
        if (!isValid(code) || alpha2.charAt(0) > 0xFF || alpha2.charAt(1) > 0xFF)
        {
            throw new IllegalArgumentException("country must be two upper-case ASCII letters: " + alpha2);
        }
        return code;
    }

    /**
     * The two-letter string of a code (allocates; for diagnostics and output, not hot paths).
     *
     * @param code packed code.
     * @return e.g. {@code "DE"}.
     */
    public static String toString(final int code)
    {
        return new String(new char[] { (char)first(code), (char)second(code) });
    }
}
