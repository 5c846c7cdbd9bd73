package dev.tally.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Properties;

import dev.tally.journal.Journal;

/**
 * What a journal's batches were written for: ClickHouse endpoint and database, topic and group, kept in
 * {@code target.properties} next to the queue files. A journal holding unacknowledged batches is only replayed
 * into the target it was written for; anything else is refused at start with the way out.
 */
final class JournalTarget
{
    static final String FILE = "target.properties";

    private JournalTarget()
    {
    }

    /**
     * Checks the journal's pending batches belong to {@code config}'s target, then records that target.
     *
     * @throws EngineException when pending batches were written for another target
     */
    static void check(final Journal journal, final EngineConfig config)
    {
        final Path file = journal.directory().resolve(FILE);
        final Properties wanted = of(config);
        final int pending = journal.pendingCount();
        if (pending > 0 && Files.exists(file))
        {
            final Properties found = read(file);
            if (!Objects.equals(found, wanted))
            {
                throw new EngineException("journal " + journal.directory() + " holds " + pending +
                    " unacknowledged batches for " + describe(found) + ", not " + describe(wanted) +
                    "; run with those settings once to land them, or pass another --journal-dir");
            }
        }
        write(file, wanted);
    }

    private static Properties of(final EngineConfig config)
    {
        final Properties p = new Properties();
        p.setProperty("clickhouse-url", config.clickhouseUrl);
        p.setProperty("database", config.database);
        p.setProperty("topic", config.topic);
        p.setProperty("group", config.group);
        return p;
    }

    private static String describe(final Properties p)
    {
        return p.getProperty("clickhouse-url") + " database " + p.getProperty("database") + " (topic " +
            p.getProperty("topic") + ", group " + p.getProperty("group") + ")";
    }

    private static Properties read(final Path file)
    {
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(r);
            return p;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(final Path file, final Properties p)
    {
        final Path tmp = file.resolveSibling(FILE + ".tmp");
        try
        {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
            {
                p.store(w, "what this journal's batches are written to");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
