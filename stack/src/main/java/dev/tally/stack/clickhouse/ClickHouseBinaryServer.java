package dev.tally.stack.clickhouse;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tally.stack.StackException;

/**
 * A real {@code clickhouse server} in place of the chDB server when {@code CLICKHOUSE_BIN} names one or a
 * {@code clickhouse} binary is on the PATH: same port, same user, data under the same directory, loopback only.
 * Binaries older than {@link #MIN_MAJOR} (such as the 2018 one some distributions package) are passed over.
 */
final class ClickHouseBinaryServer
{
    static final int MIN_MAJOR = 23;
    private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.");
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private ClickHouseBinaryServer()
    {
    }

    /** The binary to use, or {@code null} for the chDB server. */
    static Path find()
    {
        final String env = System.getenv("CLICKHOUSE_BIN");
        if (env != null && !env.isBlank())
        {
            final Path bin = Path.of(env);
            if (!Files.isExecutable(bin))
            {
                throw new StackException("CLICKHOUSE_BIN=" + env + " is not an executable file; fix or unset it");
            }
            return bin;
        }
        final String path = System.getenv("PATH");
        if (path == null)
        {
            return null;
        }
        for (final String dir : path.split(File.pathSeparator))
        {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, "clickhouse");
            if (Files.isExecutable(candidate) && recentEnough(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    static Process start(final Path binary, final int port, final Path data, final Path log,
        final LocalClickHouse.Options o) throws IOException
    {
        if (!XML_NAME.matcher(o.user()).matches())
        {
            throw new StackException("ClickHouse user name '" + o.user() + "' is not usable in a server config");
        }
        final Path config = data.resolve("tally-clickhouse-config.xml");
        Files.writeString(config, config(port, data, o), StandardCharsets.UTF_8);
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(binary.toString(), "server", "--config-file=" + config)
            .directory(data.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    }

    /** A self-contained server config: HTTP only, on 127.0.0.1, one user, all paths under {@code data}. */
    static String config(final int port, final Path data, final LocalClickHouse.Options o)
    {
        final String dir = xml(data.toString());
        final String user = o.user();
        return """
            <clickhouse>
                <logger>
                    <level>warning</level>
                    <console>1</console>
                </logger>
                <listen_host>127.0.0.1</listen_host>
                <http_port>%d</http_port>
                <path>%s/server/</path>
                <tmp_path>%s/server/tmp/</tmp_path>
                <user_files_path>%s/server/user_files/</user_files_path>
                <format_schema_path>%s/server/format_schemas/</format_schema_path>
                <user_directories>
                    <users_xml><path>%s/tally-clickhouse-config.xml</path></users_xml>
                </user_directories>
                <users>
                    <%s>
                        <password>%s</password>
                        <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                        <profile>default</profile>
                        <quota>default</quota>
                        <access_management>1</access_management>
                    </%s>
                </users>
                <profiles><default/></profiles>
                <quotas><default/></quotas>
            </clickhouse>
            """.formatted(port, dir, dir, dir, dir, dir, user, xml(o.password()), user);
    }

    private static boolean recentEnough(final Path binary)
    {
        try
        {
            final Process p = new ProcessBuilder(binary.toString(), "--version")
                .redirectErrorStream(true)
                .start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return false;
            }
            final Matcher m = VERSION.matcher(out);
            return m.find() && Integer.parseInt(m.group(1)) >= MIN_MAJOR;
        }
        catch (final IOException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String xml(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
