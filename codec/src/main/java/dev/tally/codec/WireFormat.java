package dev.tally.codec;

/**
 * Offsets and lengths of the binary event value, format version 1. All multi-byte fields are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |format_version |     kind      |  country[0]   |  country[1]   |  0
 *  +---------------+---------------+---------------+---------------+
 *  |          payload_len          |           reserved            |  4
 *  +-------------------------------+-------------------------------+
 *  |                      event_id_hi (u64)                        |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      event_id_lo (u64)                        | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       account_id (u64)                        | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              event_time (i64, epoch ms, UTC)                  | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                amount (i64, minor units)                      | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                payload (payload_len bytes) ...                | 48
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class WireFormat
{
    /** The only format version this codec reads and writes. */
    public static final int VERSION = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int KIND_OFFSET = 1;
    public static final int COUNTRY_OFFSET = 2;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int RESERVED_OFFSET = 6;
    public static final int EVENT_ID_HI_OFFSET = 8;
    public static final int EVENT_ID_LO_OFFSET = 16;
    public static final int ACCOUNT_ID_OFFSET = 24;
    public static final int EVENT_TIME_OFFSET = 32;
    public static final int AMOUNT_OFFSET = 40;

    /** Length of the fixed part; the payload starts here. */
    public static final int HEADER_LENGTH = 48;

    /** Largest payload_len a u16 can carry. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    /** Largest binary value: the fixed part plus the largest payload. */
    public static final int MAX_VALUE_LENGTH = HEADER_LENGTH + MAX_PAYLOAD_LENGTH;

    private WireFormat()
    {
    }

    /**
     * Length of a binary value with the given payload.
     *
     * @param payloadLength payload bytes.
     * @return {@code HEADER_LENGTH + payloadLength}.
     */
    public static int valueLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }
}
