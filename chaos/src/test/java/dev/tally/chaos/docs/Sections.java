package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Marked regions of a markdown file: {@code <!-- generated:NAME -->} (rendered from the code, never edited by hand)
 * or {@code <!-- checked:NAME -->} (written by hand, checked against the code), each closed by {@code <!-- end -->}.
 * Markers are HTML comments, so they do not show on a rendered page.
 */
final class Sections
{
    static final String END = "<!-- end -->";

    private Sections()
    {
    }

    static String generated(final String name)
    {
        return "<!-- generated:" + name + " -->";
    }

    static String checked(final String name)
    {
        return "<!-- checked:" + name + " -->";
    }

    /** The text between {@code begin} and the next end marker, without the marker lines. */
    static String body(final Path file, final String text, final String begin)
    {
        final int start = text.indexOf(begin + "\n");
        if (start < 0)
        {
            throw new AssertionError(Repository.name(file) + " has no line " + begin);
        }
        final int from = start + begin.length() + 1;
        final int end = text.indexOf(END, from);
        if (end < 0)
        {
            throw new AssertionError(Repository.name(file) + ": " + begin + " has no " + END + " after it");
        }
        return text.substring(from, end);
    }

    /** {@code text} with the body after {@code begin} replaced by {@code body}. */
    static String replace(final Path file, final String text, final String begin, final String body)
    {
        final String old = body(file, text, begin);
        final int from = text.indexOf(begin + "\n") + begin.length() + 1;
        return text.substring(0, from) + body + text.substring(from + old.length());
    }

    /** A section body as written to the file: blank lines around the content, so tables render. */
    static String framed(final String content)
    {
        return "\n" + content.strip() + "\n\n";
    }

    static void write(final Path file, final String text)
    {
        try
        {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
