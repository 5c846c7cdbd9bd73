package dev.tally.stack.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A failure to report in ClickHouse's shape: numeric code, message, and the code's symbolic name. */
final class ClickHouseError extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");

    private final int code;

    ClickHouseError(final int code, final String message, final String name)
    {
        super("Code: " + code + ". DB::Exception: " + message + ". (" + name + ")");
        this.code = code;
    }

    int code()
    {
        return code;
    }

    /** The code at the start of a ClickHouse exception text, or 1001 (STD_EXCEPTION) when it names none. */
    static int codeOf(final String exceptionText)
    {
        final Matcher m = CODE.matcher(exceptionText);
        return m.find() ? Integer.parseInt(m.group(1)) : 1001;
    }
}
