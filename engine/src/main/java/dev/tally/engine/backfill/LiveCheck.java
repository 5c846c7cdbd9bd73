package dev.tally.engine.backfill;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tally.engine.ingest.CommitMetadata;
import dev.tally.engine.window.WindowKind;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the live engine can still change a window of the range. Its group's committed metadata carries, per
 * partition, the watermark W at the committed position ({@link CommitMetadata}); the live engine has closed, emitted
 * and had acknowledged every window that ends at or before W minus the allowed lateness, and nothing it does later
 * (a replay included) changes those again. The range is safe to backfill when every partition's W has reached
 * {@link Plan#closesAtMs()}.
 */
final class LiveCheck
{
    private LiveCheck()
    {
    }

    /**
     * Null when the live engine is done with every window of the range on every partition, else the refusal: one
     * paragraph that says which partitions are behind and what to do.
     *
     * @param committed the live group's commits (partitions without one are absent)
     */
    static String refusal(final Plan plan, final int partitions, final Map<TopicPartition, OffsetAndMetadata> committed)
    {
        final List<Integer> uncommitted = new ArrayList<>();
        final List<String> open = new ArrayList<>();
        long minWatermark = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++)
        {
            final OffsetAndMetadata om = committed.get(new TopicPartition(plan.topic(), p));
            final CommitMetadata m = om == null ? null : CommitMetadata.parse(om.metadata());
            if (m == null)
            {
                uncommitted.add(p);
                continue;
            }
            minWatermark = Math.min(minWatermark, m.watermark());
            if (m.watermark() < plan.closesAtMs())
            {
                open.add(p + " (watermark " + time(m.watermark()) + ")");
            }
        }
        if (!uncommitted.isEmpty())
        {
            return "refused: partition" + (uncommitted.size() > 1 ? "s " : " ") + uncommitted + " of " + plan.topic() +
                " ha" + (uncommitted.size() > 1 ? "ve" : "s") + " no checkpoint of tally's in the live group '" +
                plan.liveGroup() + "', so nothing shows the live engine is done with the range; pass the live " +
                "engine's --group as --live-group, or --live-group none when no engine processes this topic";
        }
        if (open.isEmpty())
        {
            return null;
        }
        final StringBuilder b = new StringBuilder("refused: the live engine (group '" + plan.liveGroup() +
            "') can still change windows of the range: its last window closes at " + time(plan.closesAtMs()) +
            " (end + allowed lateness), but partition" + (open.size() > 1 ? "s " : " ") + String.join(", ", open) +
            (open.size() > 1 ? " are" : " is") + " not there yet. Wait until the stream's event time passes " +
            time(plan.closesAtMs() + plan.watermarkDelayMs()));
        final long safeTo = Math.floorDiv(minWatermark - plan.allowedLatenessMs(), WindowKind.sizeMs(WindowKind.MINUTE)) *
            WindowKind.sizeMs(WindowKind.MINUTE);
        if (minWatermark != Long.MIN_VALUE && safeTo > plan.fromMs())
        {
            b.append(", or end the range at --to ").append(time(safeTo));
        }
        return b.append('.').toString();
    }

    private static String time(final long ms)
    {
        return ms == Long.MIN_VALUE ? "none yet" : Instant.ofEpochMilli(ms).toString();
    }
}
