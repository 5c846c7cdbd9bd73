package dev.tally.engine.window;

/** Receives the records that did not go into a window, with the reason, so none is silently dropped. */
@FunctionalInterface
public interface SideOutputSink
{
    /** Not decodable as an event. */
    int MALFORMED = 1;
    /** event_time too far ahead of the record's Kafka timestamp; does not move the watermark. */
    int FUTURE = 2;
    /** Past the watermark plus allowed lateness for {@code kind}. */
    int LATE = 3;

    /** No window kind applies (malformed, future). */
    int NO_KIND = -1;

    /**
     * @param partition source partition
     * @param offset    the record's offset
     * @param reason    {@link #MALFORMED}, {@link #FUTURE} or {@link #LATE}
     * @param kind      the {@link WindowKind} it was late for, or {@link #NO_KIND}
     */
    void onSideOutput(int partition, long offset, int reason, int kind);

    static String reasonName(final int reason)
    {
        return switch (reason)
        {
            case MALFORMED -> "malformed";
            case FUTURE -> "future";
            case LATE -> "late";
            default -> "unknown(" + reason + ")";
        };
    }
}
