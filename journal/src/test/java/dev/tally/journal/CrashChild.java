package dev.tally.journal;

import java.io.PrintStream;
import java.nio.file.Path;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The process {@link JournalCrashTest} kills. {@code loop <dir>}: prepares batches 0, 1, 2, ... (acknowledging the
 * even ones), printing {@code P id} / {@code A id} after each call returns. {@code torn <dir>}: prepares batch 1,
 * then leaves an entry half written and prints {@code TORN}. Either way it runs until killed.
 */
public final class CrashChild
{
    static final int MAX_PAYLOAD = 256 * 1024;

    private CrashChild()
    {
    }

    /**
     * @param args {@code loop|torn <journal dir>}.
     * @throws InterruptedException never in practice: the process is killed while sleeping.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final Path dir = Path.of(args[1]);
        final PrintStream out = System.out;
        final PayloadChecksum crc = new PayloadChecksum();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            out.println("OPEN");
            out.flush();
            if ("torn".equals(args[0]))
            {
                prepare(journal, 1, crc, payload, out);
                tear(dir, out);
            }
            for (long id = 0; ; id++)
            {
                prepare(journal, id, crc, payload, out);
                if ((id & 1) == 0)
                {
                    journal.acknowledged(id);
                    out.println("A " + id);
                    out.flush();
                }
            }
        }
    }

    private static void prepare(
        final Journal journal, final long id, final PayloadChecksum crc, final UnsafeBuffer payload,
        final PrintStream out)
    {
        final int length = Payloads.sizeOf(id, MAX_PAYLOAD);
        Payloads.fill(payload, 0, id, length);
        final int rows = length / 65 + 1;
        journal.prepared(id, 1, Payloads.token(id, 1, rows), rows, crc.crc32c(payload, 0, length), payload, 0, length);
        out.println("P " + id);
        out.flush();
    }

    private static void tear(final Path dir, final PrintStream out) throws InterruptedException
    {
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
        final ExcerptAppender appender = queue.createAppender();
        final DocumentContext dc = appender.writingDocument();
        final UnsafeBuffer half = Payloads.of(2, 50_000);
        dc.wire().bytes().write(half.byteArray(), 0, 50_000);
        out.println("TORN");
        out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
