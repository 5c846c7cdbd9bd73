package dev.tally.engine.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```sql} blocks of docs/read-contract.md, so the test runs exactly what readers copy. Each block opens
 * with {@code -- <query>: <form>}; a form starting with {@code NEVER} is a documented mistake, and its last words in
 * parentheses say how it goes wrong ({@code over-counts}, {@code under-counts} or {@code wrong}).
 * perf-scripts/read-paths.sh finds the blocks it times by the same first line.
 */
final class ReadContractBlocks
{
    private static final Pattern BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern HEAD = Pattern.compile("-- ([a-z]+): (.+)");
    private static final Pattern OUTCOME = Pattern.compile("NEVER .*\\((over-counts|under-counts|wrong)\\)");

    /** How a documented mistake differs from the truth. */
    enum Outcome
    {
        EXACT, OVER_COUNTS, UNDER_COUNTS, WRONG
    }

    record Block(String query, String form, Outcome outcome, String sql)
    {
        /** The SQL against {@code database} instead of the documented {@code tally}. */
        String sqlFor(final String database)
        {
            return sql.replaceAll("\\btally\\.", database + ".");
        }

        @Override
        public String toString()
        {
            return query + ": " + form;
        }
    }

    private ReadContractBlocks()
    {
    }

    /** Every sql block of {@code doc}, in document order; a block without a well-formed first line is an error. */
    static List<Block> read(final Path doc) throws IOException
    {
        final List<Block> blocks = new ArrayList<>();
        final Matcher m = BLOCK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
        while (m.find())
        {
            final String text = m.group(1);
            final int eol = text.indexOf('\n');
            final Matcher head = HEAD.matcher(eol < 0 ? text : text.substring(0, eol));
            if (!head.matches())
            {
                throw new IllegalStateException("a sql block in " + doc + " does not open with '-- <query>: <form>': " +
                    text);
            }
            final String form = head.group(2);
            blocks.add(new Block(head.group(1), form, outcome(form), text.substring(eol + 1).strip()));
        }
        return blocks;
    }

    private static Outcome outcome(final String form)
    {
        if (!form.startsWith("NEVER"))
        {
            return Outcome.EXACT;
        }
        final Matcher m = OUTCOME.matcher(form);
        if (!m.matches())
        {
            throw new IllegalStateException("a NEVER block must end with (over-counts), (under-counts) or (wrong): " +
                form);
        }
        return switch (m.group(1))
        {
            case "over-counts" -> Outcome.OVER_COUNTS;
            case "under-counts" -> Outcome.UNDER_COUNTS;
            default -> Outcome.WRONG;
        };
    }
}
