package dev.tally.chaos.docs;

/** Text from the code made safe for a markdown table cell. */
final class Markdown
{
    private Markdown()
    {
    }

    /** Plain text: pipes, emphasis markers and angle brackets escaped. */
    static String text(final String s)
    {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A code span; only the pipe needs escaping inside a table. */
    static String code(final String s)
    {
        return "`" + cell(s) + "`";
    }

    /** Text inside a code span of a table cell. */
    static String cell(final String s)
    {
        return s.replace("|", "\\|");
    }
}
