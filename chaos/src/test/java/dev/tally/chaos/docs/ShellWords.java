package dev.tally.chaos.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The words of one command as a document writes it, from the command's first word to the end of the command: the
 * end of the text, a shell operator ({@code ;}, {@code &&}, {@code ||}, a pipe), a comment, or a parenthesis the
 * command did not open (a command quoted inside prose). Quotes are removed as the shell would; redirections are
 * dropped. Usage notation is understood the way docs write synopses: {@code [--flag VALUE]} is an optional group,
 * {@code a | b} inside it and {@code up|status|down} in a word are alternatives, and upper-case words such as
 * {@code FILE}, {@code T1} or {@code POINT[:N]} are placeholders.
 */
final class ShellWords
{
    private static final Pattern PLACEHOLDER =
        Pattern.compile("[A-Z][A-Z0-9_]*(:[A-Z0-9_]+)*(\\[[^\\]]*\\])?|.*<[^>]*>.*|.*\\.\\.\\.");

    /** One word: its text and whether any of it was quoted (quoted words are taken literally). */
    record Word(String text, boolean quoted)
    {
        boolean placeholder()
        {
            return !quoted && PLACEHOLDER.matcher(text).matches();
        }

        /** {@code a|b|c} unquoted: each alternative; else the word itself. */
        List<String> alternatives()
        {
            if (quoted || !text.contains("|") || text.startsWith("|") || text.endsWith("|"))
            {
                return List.of(text);
            }
            return List.of(text.split("\\|"));
        }
    }

    /** A word, or an optional group {@code [ ... ]} whose alternatives are word lists. */
    record Item(Word word, List<List<Item>> group)
    {
    }

    private ShellWords()
    {
    }

    /** The command that starts at {@code from} in {@code text}. */
    static List<Item> parse(final String text, final int from)
    {
        final Parser p = new Parser(text, from);
        return p.items(false);
    }

    /**
     * The argument lists the notation stands for: the first alternative of every word and group, then each other
     * alternative of each word or group once, with the rest at their first. A command without notation is one list.
     */
    static List<List<Word>> variants(final List<Item> items)
    {
        final List<List<Word>> variants = new ArrayList<>();
        variants.add(flatten(items, null, -1));
        final List<Item> all = new ArrayList<>();
        collect(items, all);
        for (final Item choice : all)
        {
            final int n = choice.word() != null ? choice.word().alternatives().size() : choice.group().size();
            for (int k = 1; k < n; k++)
            {
                variants.add(flatten(items, choice, k));
            }
        }
        return variants;
    }

    private static void collect(final List<Item> items, final List<Item> all)
    {
        for (final Item item : items)
        {
            all.add(item);
            if (item.group() != null)
            {
                item.group().forEach(alternative -> collect(alternative, all));
            }
        }
    }

    private static List<Word> flatten(final List<Item> items, final Item choice, final int k)
    {
        final List<Word> words = new ArrayList<>();
        for (final Item item : items)
        {
            final int pick = item == choice ? k : 0;
            if (item.word() != null)
            {
                final List<String> alternatives = item.word().alternatives();
                words.add(alternatives.size() == 1 ? item.word() :
                    new Word(alternatives.get(pick), false));
            }
            else
            {
                words.addAll(flatten(item.group().get(pick), choice, k));
            }
        }
        return words;
    }

    private static final class Parser
    {
        private final String text;
        private int i;
        private int parentheses;
        private boolean ended;
        private boolean groupClosed;

        Parser(final String text, final int from)
        {
            this.text = text;
            this.i = from;
        }

        /** Items up to the end of the command, or (in a group) up to its closing bracket. */
        List<Item> items(final boolean inGroup)
        {
            final List<Item> items = new ArrayList<>();
            while (!ended)
            {
                skipSpaces();
                if (i >= text.length())
                {
                    ended = true;
                    break;
                }
                final char c = text.charAt(i);
                if (inGroup && c == ']')
                {
                    i++;
                    groupClosed = true;
                    return items;
                }
                if (c == '[')
                {
                    i++;
                    items.add(new Item(null, group()));
                    continue;
                }
                if (endsCommand(inGroup))
                {
                    ended = true;
                    break;
                }
                if (inGroup && c == '|')
                {
                    return items;
                }
                final Word w = word(inGroup);
                if (w == null)
                {
                    continue;
                }
                items.add(new Item(w, null));
            }
            return items;
        }

        private List<List<Item>> group()
        {
            final List<List<Item>> alternatives = new ArrayList<>();
            while (!ended)
            {
                alternatives.add(items(true));
                if (groupClosed || ended)
                {
                    groupClosed = false;
                    break;
                }
                i++; // past the '|'
            }
            return alternatives;
        }

        private boolean endsCommand(final boolean inGroup)
        {
            final char c = text.charAt(i);
            if (c == ';' || c == '#' || text.startsWith("&&", i) || text.startsWith("||", i))
            {
                return true;
            }
            if (c == '|' && !inGroup && (i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1))))
            {
                return true;
            }
            return c == ')' && parentheses == 0;
        }

        private void skipSpaces()
        {
            while (i < text.length() && Character.isWhitespace(text.charAt(i)))
            {
                i++;
            }
        }

        /** The next word, or null for a dropped redirection. */
        private Word word(final boolean inGroup)
        {
            final StringBuilder w = new StringBuilder();
            boolean quoted = false;
            while (i < text.length())
            {
                final char c = text.charAt(i);
                if (Character.isWhitespace(c) || c == ';' || (c == ')' && parentheses == 0) ||
                    (inGroup && c == ']' && !bracketOpenIn(w)))
                {
                    break;
                }
                if (c == '|' && (inGroup || i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1))) &&
                    w.isEmpty())
                {
                    break;
                }
                if (c == '\'' || c == '"')
                {
                    final int close = text.indexOf(c, i + 1);
                    final int end = close < 0 ? text.length() : close;
                    w.append(text, i + 1, end);
                    quoted = true;
                    i = end + 1;
                    continue;
                }
                if (c == '\\' && i + 1 < text.length())
                {
                    w.append(text.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (c == '(')
                {
                    parentheses++;
                }
                if (c == ')')
                {
                    parentheses--;
                }
                w.append(c);
                i++;
            }
            final String s = w.toString();
            if (!quoted && (s.matches("\\d*>.*") || s.matches("<.*") && !s.matches("<[^>]*>.*")))
            {
                // A redirection: 2>&1, >file, or '>' followed by its target.
                if (s.matches("\\d*>>?"))
                {
                    skipSpaces();
                    word(inGroup);
                }
                return null;
            }
            return new Word(s, quoted);
        }

        private static boolean bracketOpenIn(final StringBuilder w)
        {
            return w.lastIndexOf("[") > w.lastIndexOf("]");
        }
    }
}
