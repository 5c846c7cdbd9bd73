package dev.tally.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository (or installation) lives: {@code -Dtally.home}, set by {@code ./tally} and by surefire,
 * else the nearest folder upwards from the working directory that holds {@code jvm.options}.
 */
public final class TallyHome
{
    private TallyHome()
    {
    }

    public static Path dir()
    {
        final String prop = System.getProperty("tally.home");
        if (prop != null && !prop.isBlank())
        {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null)
        {
            if (Files.isRegularFile(p.resolve("jvm.options")))
            {
                return p;
            }
            p = p.getParent();
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path jvmOptions()
    {
        return dir().resolve("jvm.options");
    }

    /** Runtime data (stack state, broker logs, ClickHouse data) lives under var/, which git ignores. */
    public static Path var()
    {
        return dir().resolve("var");
    }

    /** Downloads reused across checkouts (the ClickHouse engine): $XDG_CACHE_HOME/tally or ~/.cache/tally. */
    public static Path cache()
    {
        final String env = System.getenv("TALLY_CACHE_DIR");
        if (env != null && !env.isBlank())
        {
            return Path.of(env);
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tally");
    }
}
