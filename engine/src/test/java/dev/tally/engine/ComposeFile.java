package dev.tally.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A Docker Compose file read as plain YAML (merge keys resolved), with the few views {@link DeployComposeTest} needs:
 * services, their images, commands, environment, published ports, bind mounts and secrets. Paths are resolved the way
 * Compose resolves them, against the compose file's folder.
 */
final class ComposeFile
{
    /** A bind mount or named volume of a service: {@code source} is a host path for binds, else the volume name. */
    record Mount(String source, String target, boolean bind)
    {
    }

    private final Path file;
    private final Map<String, Object> root;

    private ComposeFile(final Path file, final Map<String, Object> root)
    {
        this.file = file;
        this.root = root;
    }

    static ComposeFile read(final Path file)
    {
        return new ComposeFile(file, asMap(yaml(file), file.toString()));
    }

    /** Any YAML file as a tree of maps, lists and scalars. */
    static Object yaml(final Path file)
    {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    Path dir()
    {
        return file.getParent();
    }

    Path resolve(final String path)
    {
        return dir().resolve(path).normalize();
    }

    Map<String, Object> services()
    {
        return asMap(root.get("services"), "services");
    }

    Map<String, Object> service(final String name)
    {
        return asMap(services().get(name), "service " + name);
    }

    /** Top-level {@code secrets} or {@code volumes}, empty when absent. */
    Map<String, Object> topLevel(final String key)
    {
        return root.get(key) == null ? Map.of() : asMap(root.get(key), key);
    }

    static String image(final Map<String, Object> service)
    {
        return (String)service.get("image");
    }

    static List<String> command(final Map<String, Object> service)
    {
        return strings(service.get("command"));
    }

    static List<String> entrypoint(final Map<String, Object> service)
    {
        return strings(service.get("entrypoint"));
    }

    /** Environment as a map, from either the map or the {@code KEY=value} list form; values as strings. */
    static Map<String, String> environment(final Map<String, Object> service)
    {
        final Map<String, String> env = new LinkedHashMap<>();
        final Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> map)
        {
            map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        else if (raw instanceof List<?> list)
        {
            for (final Object entry : list)
            {
                final String s = String.valueOf(entry);
                final int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /**
     * Published ports as {@code [host_ip, host_port, container_port]}; host_ip is "" when the entry binds every
     * interface.
     */
    static List<String[]> ports(final Map<String, Object> service)
    {
        final List<String[]> ports = new ArrayList<>();
        final Object raw = service.get("ports");
        if (raw == null)
        {
            return ports;
        }
        for (final Object entry : (List<?>)raw)
        {
            if (entry instanceof Map<?, ?> map)
            {
                ports.add(new String[] {map.get("host_ip") == null ? "" : String.valueOf(map.get("host_ip")),
                    String.valueOf(map.get("published")), String.valueOf(map.get("target"))});
                continue;
            }
            final String spec = String.valueOf(entry).replaceFirst("/(tcp|udp)$", "");
            final String[] parts = spec.split(":");
            ports.add(switch (parts.length)
            {
                case 1 -> new String[] {"", "", parts[0]};
                case 2 -> new String[] {"", parts[0], parts[1]};
                default -> new String[] {parts[0], parts[1], parts[2]};
            });
        }
        return ports;
    }

    /** Volumes of a service; bind sources resolved against the compose file's folder. */
    List<Mount> mounts(final Map<String, Object> service)
    {
        final List<Mount> mounts = new ArrayList<>();
        final Object raw = service.get("volumes");
        if (raw == null)
        {
            return mounts;
        }
        for (final Object entry : (List<?>)raw)
        {
            final String source;
            final String target;
            if (entry instanceof Map<?, ?> map)
            {
                source = String.valueOf(map.get("source"));
                target = String.valueOf(map.get("target"));
            }
            else
            {
                final String[] parts = String.valueOf(entry).split(":");
                source = parts[0];
                target = parts[1];
            }
            final boolean bind = source.startsWith(".") || source.startsWith("/");
            mounts.add(new Mount(bind ? resolve(source).toString() : source, target, bind));
        }
        return mounts;
    }

    /** Names of the secrets a service gets (short syntax), each mounted at {@code /run/secrets/<name>}. */
    static List<String> secrets(final Map<String, Object> service)
    {
        return strings(service.get("secrets"));
    }

    /** {@code host:port} of an http URL. */
    static String hostPort(final String url)
    {
        final URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    static List<String> strings(final Object raw)
    {
        if (raw == null)
        {
            return List.of();
        }
        if (raw instanceof List<?> list)
        {
            return list.stream().map(String::valueOf).toList();
        }
        throw new IllegalArgumentException("expected a YAML list (exec form), not: " + raw);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(final Object raw, final String what)
    {
        if (!(raw instanceof Map<?, ?>))
        {
            throw new IllegalArgumentException(what + " is not a YAML mapping: " + raw);
        }
        return (Map<String, Object>)raw;
    }
}
