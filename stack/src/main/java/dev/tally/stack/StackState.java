package dev.tally.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code ./tally stack up} started, in {@code var/stack/state.properties}: enough for {@code status} to report
 * and for {@code down} to stop exactly those processes (by pid, after checking the pid still runs what we started).
 *
 * @param brokers       Kafka cluster size
 * @param bootstrap     Kafka bootstrap servers
 * @param clickhouseUrl ClickHouse HTTP endpoint (local or the user's own)
 * @param services      the processes started, in start order
 */
public record StackState(int brokers, String bootstrap, String clickhouseUrl, List<ServiceProcess> services)
{
    /** This state with {@code service} added, replacing any recorded process of the same name. */
    public StackState with(final ServiceProcess service)
    {
        final List<ServiceProcess> list = new ArrayList<>(without(service.name()).services());
        list.add(service);
        return new StackState(brokers, bootstrap, clickhouseUrl, List.copyOf(list));
    }

    /** This state without the process named {@code name}. */
    public StackState without(final String name)
    {
        return new StackState(brokers, bootstrap, clickhouseUrl,
            services.stream().filter(s -> !s.name().equals(name)).toList());
    }

    public static Path file(final Path varDir)
    {
        return varDir.resolve("stack").resolve("state.properties");
    }

    public static Optional<StackState> read(final Path varDir)
    {
        final Path f = file(varDir);
        if (!Files.isRegularFile(f))
        {
            return Optional.empty();
        }
        final Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8))
        {
            p.load(r);
        }
        catch (final IOException e)
        {
            throw new StackException("cannot read " + f + ": " + e.getMessage(), e);
        }
        final List<ServiceProcess> services = new ArrayList<>();
        final int count = Integer.parseInt(p.getProperty("services", "0"));
        for (int i = 0; i < count; i++)
        {
            final String k = "service." + i + ".";
            services.add(new ServiceProcess(
                p.getProperty(k + "name"),
                Long.parseLong(p.getProperty(k + "pid")),
                Integer.parseInt(p.getProperty(k + "port")),
                p.getProperty(k + "endpoint"),
                Path.of(p.getProperty(k + "dataDir")),
                Path.of(p.getProperty(k + "log"))));
        }
        return Optional.of(new StackState(
            Integer.parseInt(p.getProperty("kafka.brokers", "0")),
            p.getProperty("kafka.bootstrap", ""),
            p.getProperty("clickhouse.url", ""),
            List.copyOf(services)));
    }

    /** Written to a temporary file and moved into place, so a reader never sees half a state. */
    public void write(final Path varDir)
    {
        final Properties p = new Properties();
        p.setProperty("kafka.brokers", Integer.toString(brokers));
        p.setProperty("kafka.bootstrap", bootstrap);
        p.setProperty("clickhouse.url", clickhouseUrl);
        p.setProperty("services", Integer.toString(services.size()));
        for (int i = 0; i < services.size(); i++)
        {
            final ServiceProcess s = services.get(i);
            final String k = "service." + i + ".";
            p.setProperty(k + "name", s.name());
            p.setProperty(k + "pid", Long.toString(s.pid()));
            p.setProperty(k + "port", Integer.toString(s.port()));
            p.setProperty(k + "endpoint", s.endpoint());
            p.setProperty(k + "dataDir", s.dataDir().toString());
            p.setProperty(k + "log", s.log().toString());
        }
        final Path f = file(varDir);
        try
        {
            Files.createDirectories(f.getParent());
            final Path tmp = f.resolveSibling("state.properties.tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
            {
                p.store(w, "tally local stack; written by ./tally stack up, removed by ./tally stack down");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new StackException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    public static void delete(final Path varDir)
    {
        try
        {
            Files.deleteIfExists(file(varDir));
        }
        catch (final IOException e)
        {
            throw new StackException("cannot delete " + file(varDir) + ": " + e.getMessage(), e);
        }
    }
}
