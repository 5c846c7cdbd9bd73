package dev.tally.jmh.codec;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.tally.codec.Country;
import dev.tally.codec.EventDecoder;
import dev.tally.codec.EventEncoder;
import dev.tally.codec.EventKind;
import dev.tally.codec.JsonEventDecoder;
import dev.tally.codec.JsonEventEncoder;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;

/**
 * Encode and decode of one event: binary flyweights (256-byte value) and the JSON form. Run with
 * {@code -prof gc} to confirm zero allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true" })
public class CodecBenchmark
{
    private final UnsafeBuffer binary = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer json = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[256]);
    private final EventEncoder encoder = new EventEncoder();
    private final EventDecoder decoder = new EventDecoder();
    private final JsonEventEncoder jsonEncoder = new JsonEventEncoder();
    private final JsonEventDecoder jsonDecoder = new JsonEventDecoder();
    private final ValueDecoder valueDecoder = new ValueDecoder();
    private final MutableEvent event = new MutableEvent();
    private final MutableEvent out = new MutableEvent();
    private int binaryLength;
    private int jsonLength;

    @Setup
    public void setup()
    {
        event.eventId(0x0f8fad5bd9cb469fL, 0xa16570867728950eL).accountId(1_234_567L).eventTime(1_767_225_600_123L)
            .amount(-2_599L).kind(EventKind.REFUND).country(Country.of("DE")).payloadLength(256 - 48);
        binaryLength = encoder.wrap(binary, 0).encode(event, payload, 0);
        jsonLength = jsonEncoder.encode(event, json, 0);
    }

    @Benchmark
    public int encodeBinary()
    {
        return encoder.wrap(binary, 0).encode(event, payload, 0);
    }

    @Benchmark
    public long decodeBinary()
    {
        return decoder.decode(binary, 0, binaryLength, out) + out.amount();
    }

    @Benchmark
    public int encodeJson()
    {
        return jsonEncoder.encode(event, json, 0);
    }

    @Benchmark
    public long decodeJson()
    {
        return jsonDecoder.decode(json, 0, jsonLength, out) + out.amount();
    }

    @Benchmark
    public long decodeEitherForm()
    {
        return valueDecoder.decode(binary, 0, binaryLength, out) + valueDecoder.decode(json, 0, jsonLength, out) +
            out.amount();
    }
}
