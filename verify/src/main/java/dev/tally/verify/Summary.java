package dev.tally.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The verdict in machine-readable form, for {@code --summary FILE}: a {@link Properties} file with the exit code,
 * the expected counts and, per check, the differences found (docs/verify.md lists the keys). It is written only
 * once there is a verdict (exit 0 or 3), atomically: a temporary file in the same directory, then a move.
 */
final class Summary
{
    private final Properties properties = new Properties();

    /**
     * Check the target before verify does any work, and remove a summary left by an earlier run, so that a file
     * present after the run is always this run's.
     *
     * @param file the {@code --summary} argument.
     * @throws VerifyException with exit code 2 if the file cannot be written there.
     */
    static void prepare(final Path file)
    {
        final Path target = file.toAbsolutePath();
        final Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir))
        {
            throw new VerifyException(2, "--summary " + file + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(target))
        {
            throw new VerifyException(2, "--summary " + file + " is a directory; give a file name");
        }
        try
        {
            Files.deleteIfExists(target);
        }
        catch (final IOException e)
        {
            throw new VerifyException(2, "--summary " + file + ": cannot replace it: " + e.getMessage(), e);
        }
    }

    /**
     * Record the outcome of a comparison.
     *
     * @param exit      0 or {@link Verdict#MISMATCH}.
     * @param snapshot  the topic as read.
     * @param expected  the ground truth.
     * @param paths     the rollup comparison of every read path.
     * @param side      the {@code late_events} comparison.
     * @param conflicts the number of version conflicts.
     */
    void record(final int exit, final TopicSnapshot snapshot, final Expected expected,
        final List<RowComparison> paths, final SideComparison side, final int conflicts)
    {
        put("exit", exit);
        properties.setProperty("topic", snapshot.topic());
        put("records", expected.records);
        put("expected.rows.minute", expected.rowsPerKind[WindowRules.MINUTE]);
        put("expected.rows.hour", expected.rowsPerKind[WindowRules.HOUR]);
        put("expected.late", expected.latePerKind[WindowRules.MINUTE] + expected.latePerKind[WindowRules.HOUR]);
        put("expected.late.minute", expected.latePerKind[WindowRules.MINUTE]);
        put("expected.late.hour", expected.latePerKind[WindowRules.HOUR]);
        put("expected.folded_late.minute", expected.foldedLatePerKind[WindowRules.MINUTE]);
        put("expected.folded_late.hour", expected.foldedLatePerKind[WindowRules.HOUR]);
        put("expected.malformed", expected.malformed);
        put("expected.future", expected.future);
        for (final RowComparison path : paths)
        {
            put(path.label() + ".missing", path.missing());
            put(path.label() + ".extra", path.extra());
            put(path.label() + ".different", path.different());
            put(path.label() + ".duplicates", path.overCounted());
            put(path.label() + ".loss", path.underCounted());
        }
        put("version.conflicts", conflicts);
        put("late_events.rows", side.rows());
        put("late_events.missing", side.missing());
        put("late_events.extra", side.extra());
        put("late_events.different", side.different());
        put("late_events.duplicates", side.duplicates());
        for (final String reason : List.of(Expected.LATE, Expected.MALFORMED, Expected.FUTURE))
        {
            put("late_events." + reason, side.rows(reason));
        }
        for (final Map.Entry<String, Long> e : side.rowsPerReason().entrySet())
        {
            put("late_events." + e.getKey(), e.getValue());
        }
    }

    /** @return what {@link #write(Path)} writes. */
    Properties properties()
    {
        return properties;
    }

    /**
     * Write the summary atomically: into a temporary file next to {@code file}, then moved over it.
     *
     * @param file the {@code --summary} argument.
     * @throws VerifyException with exit code 1 if that fails.
     */
    void write(final Path file)
    {
        final Path target = file.toAbsolutePath();
        Path temp = null;
        try
        {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp))
            {
                properties.store(out, "tally verify --summary");
            }
            try
            {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException e)
            {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException e)
        {
            deleteQuietly(temp);
            throw new VerifyException(1, "cannot write --summary " + file + ": " + e, e);
        }
    }

    private void put(final String key, final long value)
    {
        properties.setProperty(key, Long.toString(value));
    }

    private static void deleteQuietly(final Path temp)
    {
        if (temp != null)
        {
            try
            {
                Files.deleteIfExists(temp);
            }
            catch (final IOException ignore)
            {
                // the write already failed; that error is the one to report
            }
        }
    }
}
