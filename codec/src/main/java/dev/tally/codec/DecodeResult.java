package dev.tally.codec;

/**
 * Outcome codes of decoding a record value: {@link #OK} or the reason it is malformed.
 * Codes are stable and may be stored, e.g. next to a record in a side output.
 */
public final class DecodeResult
{
    /** The value is a well-formed event. */
    public static final int OK = 0;

    /** Empty value, or shorter than the 48-byte fixed part of the binary form. */
    public static final int SHORT_BUFFER = 1;

    /** The first byte is neither format version 1 nor the start of a JSON object. */
    public static final int UNKNOWN_VERSION = 2;

    /** The kind is not 0 to 3 (binary), or not one of the four names or numbers (JSON). */
    public static final int UNKNOWN_KIND = 3;

    /** The country is not two upper-case ASCII letters. */
    public static final int BAD_COUNTRY = 4;

    /** The reserved field of the binary form is not zero. */
    public static final int RESERVED_NOT_ZERO = 5;

    /** payload_len reaches past the end of the value. */
    public static final int PAYLOAD_PAST_END = 6;

    /** Bytes follow the payload (binary) or the closing brace (JSON). */
    public static final int TRAILING_BYTES = 7;

    /** The JSON text is not a syntactically valid object. */
    public static final int JSON_SYNTAX = 8;

    /** A required JSON field is missing. */
    public static final int JSON_MISSING_FIELD = 9;

    /** A required JSON field appears twice. */
    public static final int JSON_DUPLICATE_FIELD = 10;

    /** A JSON field has the wrong type or an out-of-range value (e.g. a fraction, a bad UUID). */
    public static final int JSON_BAD_VALUE = 11;

    /** JSON nesting deeper than the decoder supports. */
    public static final int JSON_TOO_DEEP = 12;

    private static final String[] NAMES =
    {
        "ok", "short_buffer", "unknown_version", "unknown_kind", "bad_country", "reserved_not_zero",
        "payload_past_end", "trailing_bytes", "json_syntax", "json_missing_field", "json_duplicate_field",
        "json_bad_value", "json_too_deep"
    };

    private DecodeResult()
    {
    }

    /**
     * Stable lower-case name of a result code.
     *
     * @param result code.
     * @return its name, or {@code "unknown"}.
     */
    public static String name(final int result)
    {
        return result >= 0 && result < NAMES.length ? NAMES[result] : "unknown";
    }
}
