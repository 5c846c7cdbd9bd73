package dev.tally.stack.clickhouse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Just enough of ClickHouse's SQL lexer to route a request: what kind of statement it is, which output format it
 * names, and where the inline data of an {@code INSERT ... FORMAT fmt} / {@code INSERT ... VALUES} starts.
 * <p>
 * Works on bytes because the text may be followed by binary data: string literals, quoted identifiers and comments
 * are skipped so a {@code FORMAT} inside them is never taken for the clause.
 */
final class SqlText
{
    /** The statement kinds the server treats differently. */
    enum Kind
    {
        INSERT, SET, USE, OTHER
    }

    /**
     * An insert whose rows follow the statement text.
     *
     * @param target     {@code INSERT INTO t (cols)}: the text before any {@code SETTINGS} clause
     * @param settings   the {@code SETTINGS ...} clause of the insert, or an empty string
     * @param format     the input format; {@code Values} for {@code VALUES}
     * @param dataOffset index of the first data byte
     */
    record InsertHead(String target, String settings, String format, int dataOffset)
    {
        /** The statement that reads the same rows from {@code file} instead of inline. */
        String fromInfile(final String file)
        {
            final StringBuilder sb = new StringBuilder(target.length() + settings.length() + file.length() + 48);
            sb.append(target).append(" FROM INFILE '");
            for (int i = 0; i < file.length(); i++)
            {
                final char c = file.charAt(i);
                if (c == '\'' || c == '\\')
                {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('\'');
            if (!settings.isEmpty())
            {
                sb.append(' ').append(settings);
            }
            return sb.append(" FORMAT ").append(format).toString();
        }
    }

    private final byte[] text;
    private final int limit;
    private int position;
    private int tokenStart;
    private int depth;

    private SqlText(final byte[] text, final int limit)
    {
        this.text = text;
        this.limit = limit;
    }

    static Kind kind(final String sql)
    {
        final byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        return kind(bytes, bytes.length);
    }

    static Kind kind(final byte[] sql, final int length)
    {
        final SqlText lexer = new SqlText(sql, length);
        final String first = lexer.nextWord();
        if (first == null)
        {
            return Kind.OTHER;
        }
        return switch (first)
        {
            case "INSERT" -> Kind.INSERT;
            case "SET" -> Kind.SET;
            case "USE" -> Kind.USE;
            default -> Kind.OTHER;
        };
    }

    /** The format of the last top-level {@code FORMAT name} clause, or {@code null} when the query names none. */
    static String outputFormat(final String sql)
    {
        final byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        final SqlText lexer = new SqlText(bytes, bytes.length);
        String format = null;
        String word;
        while ((word = lexer.nextWord()) != null)
        {
            if (lexer.depth == 0 && "FORMAT".equals(word))
            {
                final int save = lexer.position;
                final String name = lexer.nextIdentifier();
                format = name != null ? name : format;
                lexer.position = name != null ? lexer.position : save;
            }
        }
        return format;
    }

    /**
     * Where the rows of an insert start, or {@code null} for anything else (including {@code INSERT ... SELECT}).
     * Data after {@code FORMAT fmt} starts after spaces and at most one line break, as in ClickHouse.
     */
    static InsertHead insertHead(final byte[] sql, final int length)
    {
        final SqlText lexer = new SqlText(sql, length);
        if (!"INSERT".equals(lexer.nextWord()))
        {
            return null;
        }
        int settingsStart = -1;
        String word;
        while ((word = lexer.nextWord()) != null)
        {
            if (lexer.depth != 0)
            {
                continue;
            }
            switch (word)
            {
                case "SELECT", "WITH" ->
                {
                    return null;
                }
                case "SETTINGS" -> settingsStart = settingsStart < 0 ? lexer.tokenStart : settingsStart;
                case "VALUES" ->
                {
                    return lexer.head(settingsStart, lexer.tokenStart, "Values", lexer.position);
                }
                case "FORMAT" ->
                {
                    final int formatToken = lexer.tokenStart;
                    final String format = lexer.nextIdentifier();
                    if (format == null)
                    {
                        return null;
                    }
                    return lexer.head(settingsStart, formatToken, format, lexer.skipToData());
                }
                default ->
                {
                }
            }
        }
        return null;
    }

    private InsertHead head(final int settingsStart, final int clauseStart, final String format, final int dataOffset)
    {
        final int targetEnd = settingsStart < 0 ? clauseStart : settingsStart;
        final String target = new String(text, 0, targetEnd, StandardCharsets.UTF_8).strip();
        final String settings = settingsStart < 0 ?
            "" : new String(text, settingsStart, clauseStart - settingsStart, StandardCharsets.UTF_8).strip();
        return new InsertHead(target, settings, format, dataOffset);
    }

    private int skipToData()
    {
        int p = position;
        while (p < limit && (text[p] == ' ' || text[p] == '\t' || text[p] == '\f'))
        {
            p++;
        }
        if (p < limit && text[p] == '\r')
        {
            p++;
        }
        if (p < limit && text[p] == '\n')
        {
            p++;
        }
        return p;
    }

    private String nextIdentifier()
    {
        skipSpaceAndComments();
        if (position < limit && isWordByte(text[position]))
        {
            final int start = position;
            while (position < limit && isWordByte(text[position]))
            {
                position++;
            }
            return new String(text, start, position - start, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The next bare word, upper-cased, skipping literals, quoted names and punctuation; {@code null} at the end. */
    private String nextWord()
    {
        while (true)
        {
            skipSpaceAndComments();
            if (position >= limit)
            {
                return null;
            }
            final byte b = text[position];
            tokenStart = position;
            if (isWordByte(b))
            {
                while (position < limit && isWordByte(text[position]))
                {
                    position++;
                }
                return new String(text, tokenStart, position - tokenStart, StandardCharsets.UTF_8)
                    .toUpperCase(Locale.ROOT);
            }
            switch (b)
            {
                case '\'', '"', '`' -> skipQuoted(b);
                case '(', '[', '{' ->
                {
                    depth++;
                    position++;
                }
                case ')', ']', '}' ->
                {
                    depth = Math.max(0, depth - 1);
                    position++;
                }
                default -> position++;
            }
        }
    }

    private void skipQuoted(final byte quote)
    {
        position++;
        while (position < limit)
        {
            final byte b = text[position++];
            if (b == '\\')
            {
                position++;
            }
            else if (b == quote)
            {
                if (position < limit && text[position] == quote)
                {
                    position++;
                }
                else
                {
                    return;
                }
            }
        }
    }

    private void skipSpaceAndComments()
    {
        while (position < limit)
        {
            final byte b = text[position];
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f')
            {
                position++;
            }
            else if (b == '-' && position + 1 < limit && text[position + 1] == '-' || b == '#')
            {
                while (position < limit && text[position] != '\n')
                {
                    position++;
                }
            }
            else if (b == '/' && position + 1 < limit && text[position + 1] == '*')
            {
                position += 2;
                while (position + 1 < limit && !(text[position] == '*' && text[position + 1] == '/'))
                {
                    position++;
                }
                position = Math.min(limit, position + 2);
            }
            else
            {
                return;
            }
        }
    }

    private static boolean isWordByte(final byte b)
    {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '$' || b < 0;
    }
}
