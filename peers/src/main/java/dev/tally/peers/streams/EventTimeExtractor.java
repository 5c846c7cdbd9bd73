package dev.tally.peers.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for Kafka Streams: the decoded event's {@code event_time}, which then drives windowing, stream time
 * and grace. It also notes the record's Kafka timestamp in the event for the latency measurement. A malformed
 * value (null after {@link EventDeserializer}) gets its Kafka timestamp, or the partition's time when it has none,
 * because Streams would silently skip a record with a negative timestamp, and the topology counts malformed
 * records itself right after the source.
 */
public final class EventTimeExtractor implements TimestampExtractor
{
    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime)
    {
        if (record.value() instanceof Event event)
        {
            event.kafkaTimestamp(record.timestamp());
            return event.eventTime();
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
