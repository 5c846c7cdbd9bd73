package dev.tally.chaos.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code of a markdown file, where its commands are: lines of fenced and indented code blocks (a line ending in
 * a backslash joined with the next, as the shell would) and inline code spans (which may run across a line break
 * inside a paragraph). Each piece keeps the file and line it starts on, for failure messages.
 */
final class MarkdownCode
{
    /** A piece of code: one block line (continuations joined) or one inline span. */
    record Snippet(Path file, int line, String text, boolean inline)
    {
        String where()
        {
            return Repository.name(file) + ":" + line;
        }
    }

    private MarkdownCode()
    {
    }

    static List<Snippet> of(final Path file)
    {
        final String[] lines = Repository.read(file).split("\n", -1);
        final List<Snippet> snippets = new ArrayList<>();
        final StringBuilder paragraph = new StringBuilder();
        final List<Integer> paragraphLines = new ArrayList<>();
        String fence = null;
        boolean previousBlank = true;
        boolean indentedBlock = false;
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            final String stripped = line.strip();
            if (fence != null)
            {
                if (stripped.startsWith(fence))
                {
                    fence = null;
                }
                else
                {
                    i = blockLine(file, lines, i, snippets);
                }
                continue;
            }
            if (stripped.startsWith("```") || stripped.startsWith("~~~"))
            {
                inline(file, paragraph, paragraphLines, snippets);
                fence = stripped.substring(0, 3);
                previousBlank = false;
                continue;
            }
            final boolean indented = (line.startsWith("    ") || line.startsWith("\t")) && !stripped.isEmpty();
            if (indented && (previousBlank || indentedBlock) && paragraph.isEmpty())
            {
                indentedBlock = true;
                i = blockLine(file, lines, i, snippets);
                previousBlank = false;
                continue;
            }
            indentedBlock = false;
            if (stripped.isEmpty())
            {
                inline(file, paragraph, paragraphLines, snippets);
                previousBlank = true;
                continue;
            }
            previousBlank = false;
            paragraph.append(line).append('\n');
            paragraphLines.add(i + 1);
        }
        inline(file, paragraph, paragraphLines, snippets);
        return snippets;
    }

    /** Adds the block line at {@code i} (with its continuation lines); returns the index of its last line. */
    private static int blockLine(final Path file, final String[] lines, final int i, final List<Snippet> snippets)
    {
        final StringBuilder text = new StringBuilder();
        int j = i;
        String line = lines[j];
        while (line.stripTrailing().endsWith("\\") && j + 1 < lines.length)
        {
            final String t = line.stripTrailing();
            text.append(t, 0, t.length() - 1).append(' ');
            line = lines[++j];
        }
        text.append(line);
        snippets.add(new Snippet(file, i + 1, text.toString(), false));
        return j;
    }

    /** The code spans of a paragraph: a run of N backticks up to the next run of exactly N. */
    private static void inline(final Path file, final StringBuilder paragraph, final List<Integer> lineNumbers,
        final List<Snippet> snippets)
    {
        final String text = paragraph.toString();
        int i = 0;
        while (i < text.length())
        {
            if (text.charAt(i) != '`')
            {
                i++;
                continue;
            }
            final int run = runLength(text, i);
            int close = i + run;
            while (close < text.length() && (text.charAt(close) != '`' || runLength(text, close) != run))
            {
                close += text.charAt(close) == '`' ? runLength(text, close) : 1;
            }
            if (close >= text.length())
            {
                break;
            }
            final int line = lineNumbers.get(lineIndex(text, i));
            snippets.add(new Snippet(file, line, text.substring(i + run, close).replace('\n', ' ').strip(), true));
            i = close + run;
        }
        paragraph.setLength(0);
        lineNumbers.clear();
    }

    private static int runLength(final String text, final int from)
    {
        int j = from;
        while (j < text.length() && text.charAt(j) == '`')
        {
            j++;
        }
        return j - from;
    }

    private static int lineIndex(final String text, final int offset)
    {
        int n = 0;
        for (int k = 0; k < offset; k++)
        {
            if (text.charAt(k) == '\n')
            {
                n++;
            }
        }
        return n;
    }
}
