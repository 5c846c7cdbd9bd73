package dev.tally.engine;

import dev.tally.engine.ComposeFile.Mount;
import dev.tally.gen.GenMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * deploy/docker-compose.yml and the files it names, read as YAML and checked against the code; Docker is not needed
 * and nothing is started. Pinned images (Kafka's at the build's {@code kafka.version}, the JDK at its release), only
 * flags {@code run} and {@code gen} really have, the engine pointed at the compose file's brokers, ClickHouse and
 * password secret, the journal on a volume, Prometheus scraping the port the engine listens on, Grafana serving
 * docs/grafana/tally-dashboard.json itself on the data source it expects, every published port on loopback, no
 * password in the file, and every file it names present.
 */
class DeployComposeTest
{
    private static final Path HOME = Path.of(System.getProperty("tally.home", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = HOME.resolve("deploy");
    private static final Pattern VOTER = Pattern.compile("(\\d+)@([^:,]+):(\\d+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    private static ComposeFile compose;
    private static Element pom;
    private static Map<String, Object> engine;

    @BeforeAll
    static void read() throws Exception
    {
        compose = ComposeFile.read(DEPLOY.resolve("docker-compose.yml"));
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(HOME.resolve("pom.xml").toFile())
            .getDocumentElement();
        engine = compose.service(onlyServiceRunning("run"));
    }

    /** The engine service's command, parsed as {@code ./tally run} parses it. */
    private static RunMain run()
    {
        final RunMain run = new RunMain();
        try
        {
            new CommandLine(run).parseArgs(args(engine));
        }
        catch (final CommandLine.ParameterException e)
        {
            throw new AssertionError("service " + onlyServiceRunning("run") + ": ./tally run " +
                String.join(" ", args(engine)) + ": " + e.getMessage(), e);
        }
        return run;
    }

    @Test
    void everyImageIsPinnedKafkaAtTheBuildsVersionAndTheJdkAtItsRelease() throws IOException
    {
        compose.services().forEach((name, raw) ->
        {
            final Map<String, Object> service = ComposeFile.asMap(raw, name);
            final String image = ComposeFile.image(service);
            assertThat(image).as("service %s names its image", name).isNotBlank();
            assertThat(tag(image)).as("service %s: image %s pinned to a version", name, image)
                .isNotBlank().isNotEqualTo("latest");
            if (service.containsKey("build"))
            {
                assertThat(tag(image)).as("service %s: the image built here carries the project version", name)
                    .isEqualTo(pomValue("version"));
            }
        });

        final List<String> kafkaImages = images().stream().filter(i -> repository(i).equals("apache/kafka")).toList();
        assertThat(kafkaImages).as("Kafka services").hasSizeGreaterThanOrEqualTo(3)
            .allSatisfy(i -> assertThat(tag(i)).as("the Kafka the build tests against (pom.xml kafka.version)")
                .isEqualTo(pomValue("properties/kafka.version")));

        final List<String> from = dockerfileFroms();
        assertThat(from).isNotEmpty().allSatisfy(image ->
            assertThat(tag(image)).as("Dockerfile FROM %s pinned", image).isNotBlank().isNotEqualTo("latest"));
        final Pattern jdk = Pattern.compile(".*temurin[-:]" + pomValue("properties/maven.compiler.release") + "\\b.*");
        assertThat(from).as("every stage on Temurin at the release the code compiles for (maven.compiler.release)")
            .allSatisfy(image -> assertThat(image).matches(jdk));
    }

    @Test
    void threeBrokersInOneQuorumWithInternalTopicsOnAllThree()
    {
        final Map<String, Map<String, String>> brokers = brokers();
        assertThat(brokers).hasSize(3);
        final Set<String> clusterIds = new HashSet<>();
        final Map<String, String> voters = new LinkedHashMap<>();
        brokers.forEach((name, env) ->
        {
            clusterIds.add(env.get("CLUSTER_ID"));
            final Map<String, String> own = new LinkedHashMap<>();
            final Matcher m = VOTER.matcher(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            while (m.find())
            {
                own.put(m.group(1), m.group(2));
            }
            assertThat(own).as("%s's quorum names it by its node id", name).containsEntry(env.get("KAFKA_NODE_ID"), name);
            voters.putAll(own);
            assertThat(env).as("broker %s", name)
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2");
        });
        assertThat(clusterIds).as("one cluster id").hasSize(1).doesNotContainNull();
        assertThat(voters).as("the same three voters everywhere").hasSize(3).containsValues(
            brokers.keySet().toArray(String[]::new));
        assertThat(option(topicSetup(), "--replication-factor")).isEqualTo("3");
    }

    @Test
    void everyFlagAndVariablePassedToTallyIsARealOption() throws IOException
    {
        final Set<String> runVariables = new HashSet<>();
        new CommandLine(new RunMain()).getCommandSpec().options().forEach(o -> runVariables.add(
            "TALLY_" + o.longestName().replaceFirst("^--", "").toUpperCase(Locale.ROOT).replace('-', '_')));
        final String launcher = Files.readString(HOME.resolve("tally"), StandardCharsets.UTF_8);

        tallyServices().forEach((name, service) ->
        {
            final List<String> command = ComposeFile.command(service);
            assertThat(command).as("service %s runs a tally command", name).isNotEmpty();
            final String[] args = args(service);
            final CommandLine model = switch (command.getFirst())
            {
                case "run" -> new CommandLine(new RunMain());
                case "gen" -> new CommandLine(new GenMain());
                default -> throw new AssertionError("service " + name + " runs ./tally " + command.getFirst() +
                    ", which this test does not know");
            };
            assertThatCode(() -> model.parseArgs(args)).as("service %s: ./tally %s %s", name, command.getFirst(),
                String.join(" ", args)).doesNotThrowAnyException();
            ComposeFile.environment(service).keySet().stream().filter(k -> k.startsWith("TALLY_")).forEach(k ->
                assertThat(k.equals("TALLY_JAVA_OPTS") && launcher.contains("TALLY_JAVA_OPTS") ||
                    command.getFirst().equals("run") && runVariables.contains(k))
                    .as("service %s: %s is read by the launcher or names a run flag", name, k).isTrue());
        });

        // The values pass the engine's own checks too (the password file exists only in the container).
        final RunMain parsed = run();
        parsed.clickhousePasswordFile = null;
        assertThatCode(() -> parsed.config().conclude()).as("./tally run %s", String.join(" ", args(engine)))
            .doesNotThrowAnyException();
    }

    @Test
    void theEngineAndTheGeneratorUseTheComposeBrokersTopicAndClickHouse()
    {
        final RunMain run = run();
        final Set<String> internal = new HashSet<>();
        brokers().forEach((name, env) ->
        {
            final String listener = env.get("KAFKA_INTER_BROKER_LISTENER_NAME") + "://";
            Stream.of(env.get("KAFKA_ADVERTISED_LISTENERS").split(",")).filter(l -> l.startsWith(listener))
                .forEach(l -> internal.add(l.substring(listener.length())));
        });
        assertThat(internal).as("each broker's inter-broker listener").hasSize(3);
        assertThat(Set.of(run.bootstrap.split(","))).as("run --bootstrap").isEqualTo(internal);
        assertThat(Set.of(option(topicSetup(), "--bootstrap-server").split(","))).isEqualTo(internal);

        final String topic = option(topicSetup(), "--topic");
        assertThat(run.topic).as("the topic the engine reads is the one created").isEqualTo(topic);
        tallyServices().forEach((name, service) ->
        {
            if (ComposeFile.command(service).getFirst().equals("gen"))
            {
                final CommandLine.ParseResult gen = new CommandLine(new GenMain()).parseArgs(args(service));
                assertThat(Set.of(gen.matchedOptionValue("--bootstrap", "").split(","))).isEqualTo(internal);
                assertThat(gen.matchedOptionValue("--topic", "events")).as("gen --topic").isEqualTo(topic);
            }
        });

        final String clickhouse = onlyService("clickhouse/clickhouse-server");
        assertThat(ComposeFile.hostPort(run.clickhouseUrl)).as("run --clickhouse-url").isEqualTo(clickhouse + ":8123");
        assertThat(ComposeFile.environment(compose.service(clickhouse))).as("the user the server creates")
            .containsEntry("CLICKHOUSE_USER", run.clickhouseUser);
        assertThat(compose.service(onlyServiceRunning("run")).get("depends_on").toString())
            .contains(clickhouse).contains(serviceName(topicSetup()));
    }

    @Test
    void thePasswordComesFromASecretThatBothClickHouseAndTheEngineRead()
    {
        final RunMain run = run();
        assertThat(run.clickhousePasswordFile).as("run --clickhouse-password-file").isNotNull();
        final String path = run.clickhousePasswordFile.toString();
        assertThat(path).startsWith("/run/secrets/");
        final String secret = path.substring("/run/secrets/".length());
        assertThat(ComposeFile.secrets(engine)).contains(secret);
        final Map<String, Object> clickhouse = compose.service(onlyService("clickhouse/clickhouse-server"));
        assertThat(ComposeFile.secrets(clickhouse)).contains(secret);
        assertThat(String.join(" ", ComposeFile.entrypoint(clickhouse))).as("the server's user gets the secret")
            .contains("CLICKHOUSE_PASSWORD=").contains(path);
        assertThat(compose.topLevel("secrets")).containsKey(secret);

        compose.services().forEach((name, raw) -> ComposeFile.environment(ComposeFile.asMap(raw, name)).keySet()
            .stream().filter(k -> k.contains("PASSWORD") || k.contains("SECRET"))
            .forEach(k -> assertThat(k).as("service %s: a password by file, never inline", name).endsWith("_FILE")));
    }

    @Test
    void theJournalAndLatencyLogsLiveOnANamedVolume()
    {
        final RunMain run = run();
        final List<Mount> volumes = compose.mounts(engine).stream().filter(m -> !m.bind()).toList();
        for (final Path dir : List.of(run.journalDir, run.latencyDir))
        {
            assertThat(dir).as("run's journal and latency folders are given").isNotNull();
            assertThat(volumes).as("%s survives the container", dir)
                .anySatisfy(m -> assertThat(dir.startsWith(Path.of(m.target()))).isTrue());
        }
        volumes.forEach(m -> assertThat(compose.topLevel("volumes")).containsKey(m.source()));
    }

    @Test
    void prometheusScrapesThePortTheEngineListensOn()
    {
        final RunMain run = run();
        final InetSocketAddress metrics = RunMain.httpAddress(run.metricsAddress);
        assertThat(metrics).as("run --metrics-address is on").isNotNull();
        assertThat(metrics.getHostString()).as("reachable from the other containers").isEqualTo("0.0.0.0");
        assertThat(ComposeFile.ports(engine)).as("the metrics port is published")
            .anySatisfy(p -> assertThat(p[2]).isEqualTo(Integer.toString(metrics.getPort())));

        final Map<String, Object> prometheus = compose.service(onlyService("prom/prometheus"));
        final String configPath = option(prometheus, "--config.file");
        final Path config = mountedFile(prometheus, configPath);
        final List<String> targets = new ArrayList<>();
        for (final Object job : (List<?>)ComposeFile.asMap(ComposeFile.yaml(config), "prometheus.yml").get("scrape_configs"))
        {
            for (final Object statics : (List<?>)ComposeFile.asMap(job, "job").getOrDefault("static_configs", List.of()))
            {
                targets.addAll(ComposeFile.strings(ComposeFile.asMap(statics, "static_configs").get("targets")));
            }
        }
        assertThat(targets).as("%s scrapes the engine", config)
            .contains(onlyServiceRunning("run") + ":" + metrics.getPort());
    }

    @Test
    void grafanaServesTheDashboardFileOnTheDataSourceItExpects() throws IOException
    {
        final Map<String, Object> grafana = compose.service(onlyService("grafana/grafana"));
        final Path provisioning = mountedFile(grafana, "/etc/grafana/provisioning");

        final List<Map<String, Object>> sources = new ArrayList<>();
        for (final Path file : yamlFiles(provisioning.resolve("datasources")))
        {
            ((List<?>)ComposeFile.asMap(ComposeFile.yaml(file), file.toString()).get("datasources"))
                .forEach(d -> sources.add(ComposeFile.asMap(d, "datasource")));
        }
        final List<Map<String, Object>> defaults = sources.stream()
            .filter(d -> Boolean.TRUE.equals(d.get("isDefault"))).toList();
        assertThat(defaults).as("one default data source").hasSize(1);
        final Map<String, Object> source = defaults.getFirst();
        final String type = String.valueOf(source.get("type"));
        final String uid = String.valueOf(source.get("uid"));
        final String prometheus = onlyService("prom/prometheus");
        assertThat(ComposeFile.hostPort(String.valueOf(source.get("url")))).as("the data source is the Prometheus service")
            .isEqualTo(prometheus + ":" + prometheusPort(compose.service(prometheus)));

        final List<String> providerPaths = new ArrayList<>();
        for (final Path file : yamlFiles(provisioning.resolve("dashboards")))
        {
            for (final Object p : (List<?>)ComposeFile.asMap(ComposeFile.yaml(file), file.toString()).get("providers"))
            {
                providerPaths.add(String.valueOf(ComposeFile.asMap(ComposeFile.asMap(p, "provider").get("options"),
                    "options").get("path")));
            }
        }
        final List<Mount> dashboards = compose.mounts(grafana).stream().filter(Mount::bind)
            .filter(m -> providerPaths.stream().anyMatch(p -> m.target().startsWith(p + "/"))).toList();
        assertThat(dashboards).as("a dashboard mounted where a provider loads from").hasSize(1);
        final Mount dashboard = dashboards.getFirst();
        assertThat(Path.of(dashboard.source())).as("the repository's dashboard, mounted, not a copy")
            .isEqualTo(HOME.resolve("docs/grafana/tally-dashboard.json"));
        final String home = ComposeFile.environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        if (home != null)
        {
            assertThat(home).as("Grafana's home dashboard").isEqualTo(dashboard.target());
        }

        final JsonNode json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(Path.of(dashboard.source()).toFile());
        final Map<String, String> variables = new LinkedHashMap<>();
        json.path("templating").path("list").forEach(v ->
        {
            if (v.path("type").asText().equals("datasource"))
            {
                variables.put(v.path("name").asText(), v.path("query").asText());
            }
        });
        // Type "grafana" is Grafana's built-in source of the dashboard's own annotations, not a provisioned one.
        final List<JsonNode> refs = json.findValues("datasource").stream().filter(JsonNode::isObject)
            .filter(ref -> !ref.path("type").asText().equals("grafana")).toList();
        assertThat(refs).as("panels and queries name their data source").hasSizeGreaterThan(10);
        assertThat(refs).allSatisfy(ref ->
        {
            assertThat(ref.path("type").asText()).as("data source type").isEqualTo(type);
            final Matcher m = VARIABLE.matcher(ref.path("uid").asText());
            if (m.matches())
            {
                final String variable = m.group(1) != null ? m.group(1) : m.group(2);
                assertThat(variables).as("data source variable %s picks a %s data source (the default one)", variable,
                    type).containsEntry(variable, type);
            }
            else
            {
                assertThat(ref.path("uid").asText()).as("data source uid").isEqualTo(uid);
            }
        });
    }

    @Test
    void everyPublishedPortIsOnLoopback()
    {
        final List<String> published = new ArrayList<>();
        compose.services().forEach((name, raw) -> ComposeFile.ports(ComposeFile.asMap(raw, name)).forEach(p ->
        {
            published.add(name + " " + String.join(":", p));
            assertThat(p[0]).as("service %s publishes %s on 127.0.0.1 only", name, String.join(":", p))
                .isEqualTo("127.0.0.1");
        }));
        assertThat(published).as("the services a user reaches from the host").hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyFileItNamesExists() throws IOException
    {
        compose.services().forEach((name, raw) ->
        {
            final Map<String, Object> service = ComposeFile.asMap(raw, name);
            compose.mounts(service).stream().filter(Mount::bind).forEach(m ->
                assertThat(Path.of(m.source())).as("service %s mounts %s", name, m.source()).exists());
        });

        final String docs = Files.readString(HOME.resolve("docs/deploy.md"), StandardCharsets.UTF_8);
        compose.topLevel("secrets").forEach((name, raw) ->
        {
            final Path file = compose.resolve(String.valueOf(ComposeFile.asMap(raw, name).get("file")));
            assertThat(file.getParent()).as("secret %s's folder", name).isDirectory();
            assertThat(lines(file.getParent().resolve(".gitignore"))).as("secret files are never committed")
                .contains("*");
            assertThat(docs).as("docs/deploy.md says how to create %s", file)
                .contains(HOME.relativize(file).toString());
        });

        final Set<String> built = new HashSet<>();
        tallyServices().forEach((name, service) ->
        {
            final Map<String, Object> build = ComposeFile.asMap(service.get("build"), name + " build");
            final Path context = compose.resolve(String.valueOf(build.get("context")));
            final Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile"))).normalize();
            assertThat(context).isEqualTo(HOME);
            assertThat(dockerfile).isEqualTo(DEPLOY.resolve("Dockerfile"));
            built.add(dockerfile.toString());
        });
        assertThat(built).hasSize(1);
        assertThat(DEPLOY.resolve("Dockerfile.dockerignore")).as("the build context's ignore file").exists();

        final List<String> copied = new ArrayList<>();
        for (final String line : lines(DEPLOY.resolve("Dockerfile")))
        {
            final List<String> words = List.of(line.strip().split("\\s+"));
            if (words.getFirst().equals("COPY") && words.stream().noneMatch(w -> w.startsWith("--from")))
            {
                for (final String source : words.subList(1, words.size() - 1))
                {
                    assertThat(HOME.resolve(source)).as("Dockerfile copies %s", source).exists();
                    copied.add(source);
                }
            }
        }
        final List<String> modules = new ArrayList<>();
        final var nodes = pom.getElementsByTagName("module");
        for (int i = 0; i < nodes.getLength(); i++)
        {
            modules.add(nodes.item(i).getTextContent().strip());
        }
        assertThat(copied).as("the image builds every module of pom.xml").containsAll(modules).contains("pom.xml");
    }

    private static Map<String, Map<String, String>> brokers()
    {
        final Map<String, Map<String, String>> brokers = new LinkedHashMap<>();
        compose.services().forEach((name, raw) ->
        {
            final Map<String, String> env = ComposeFile.environment(ComposeFile.asMap(raw, name));
            if (env.containsKey("KAFKA_NODE_ID"))
            {
                brokers.put(name, env);
            }
        });
        return brokers;
    }

    /** The services that run tally's own image (built here), by name. */
    private static Map<String, Map<String, Object>> tallyServices()
    {
        final Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        compose.services().forEach((name, raw) ->
        {
            final Map<String, Object> service = ComposeFile.asMap(raw, name);
            if (service.containsKey("build"))
            {
                services.put(name, service);
            }
        });
        assertThat(services).as("services built from deploy/Dockerfile").isNotEmpty();
        return services;
    }

    private static String onlyServiceRunning(final String subcommand)
    {
        final List<String> names = tallyServices().entrySet().stream()
            .filter(e -> ComposeFile.command(e.getValue()).getFirst().equals(subcommand)).map(Map.Entry::getKey).toList();
        assertThat(names).as("services running ./tally %s", subcommand).hasSize(1);
        return names.getFirst();
    }

    private static String onlyService(final String repository)
    {
        final List<String> names = compose.services().entrySet().stream()
            .filter(e -> repository(ComposeFile.image(ComposeFile.asMap(e.getValue(), e.getKey()))).equals(repository))
            .map(Map.Entry::getKey).toList();
        assertThat(names).as("services of %s", repository).hasSize(1);
        return names.getFirst();
    }

    /** The one-shot service that creates the topic with kafka-topics.sh. */
    private static Map<String, Object> topicSetup()
    {
        final List<Map<String, Object>> setups = compose.services().entrySet().stream()
            .map(e -> ComposeFile.asMap(e.getValue(), e.getKey()))
            .filter(s -> ComposeFile.command(s).stream().anyMatch(w -> w.endsWith("kafka-topics.sh"))).toList();
        assertThat(setups).as("a service creating the topic").hasSize(1);
        return setups.getFirst();
    }

    private static String serviceName(final Map<String, Object> service)
    {
        return compose.services().entrySet().stream().filter(e -> e.getValue() == service).map(Map.Entry::getKey)
            .findFirst().orElseThrow();
    }

    /** The command after its first word (the tally subcommand). */
    private static String[] args(final Map<String, Object> service)
    {
        final List<String> command = ComposeFile.command(service);
        return command.subList(1, command.size()).toArray(String[]::new);
    }

    /** The value of {@code --name=value} or {@code --name value} in a service's command. */
    private static String option(final Map<String, Object> service, final String name)
    {
        final List<String> command = ComposeFile.command(service);
        for (int i = 0; i < command.size(); i++)
        {
            if (command.get(i).startsWith(name + "="))
            {
                return command.get(i).substring(name.length() + 1);
            }
            if (command.get(i).equals(name) && i + 1 < command.size())
            {
                return command.get(i + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + command);
    }

    private static int prometheusPort(final Map<String, Object> prometheus)
    {
        final boolean custom = ComposeFile.command(prometheus).stream().anyMatch(w -> w.startsWith("--web.listen-address"));
        return custom ? Integer.parseInt(option(prometheus, "--web.listen-address").replaceFirst(".*:", "")) : 9090;
    }

    /** The host file or folder bind-mounted at {@code target}. */
    private static Path mountedFile(final Map<String, Object> service, final String target)
    {
        return compose.mounts(service).stream().filter(m -> m.bind() && m.target().equals(target))
            .map(m -> Path.of(m.source())).findFirst()
            .orElseThrow(() -> new AssertionError("nothing is mounted at " + target));
    }

    private static List<Path> yamlFiles(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            final List<Path> yaml = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                .sorted().toList();
            assertThat(yaml).as("provisioning files in %s", dir).isNotEmpty();
            return yaml;
        }
    }

    private static List<String> images()
    {
        return compose.services().entrySet().stream()
            .map(e -> ComposeFile.image(ComposeFile.asMap(e.getValue(), e.getKey()))).toList();
    }

    private static List<String> dockerfileFroms()
    {
        final List<String> images = new ArrayList<>();
        final Set<String> stages = new HashSet<>();
        for (final String line : lines(DEPLOY.resolve("Dockerfile")))
        {
            final List<String> words = Stream.of(line.strip().split("\\s+"))
                .filter(w -> !w.startsWith("--platform")).toList();
            if (words.getFirst().equalsIgnoreCase("FROM"))
            {
                if (!stages.contains(words.get(1)))
                {
                    images.add(words.get(1));
                }
                if (words.size() == 4 && words.get(2).equalsIgnoreCase("AS"))
                {
                    stages.add(words.get(3));
                }
            }
        }
        return images;
    }

    /** The tag of {@code image}, "" when it has none; a digest counts as pinned. */
    private static String tag(final String image)
    {
        if (image.contains("@sha256:"))
        {
            return image.substring(image.indexOf('@') + 1);
        }
        final int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
    }

    private static String repository(final String image)
    {
        final String tag = tag(image);
        return tag.isEmpty() ? image : image.substring(0, image.length() - tag.length() - 1);
    }

    private static String pomValue(final String path)
    {
        Element e = pom;
        for (final String name : path.split("/"))
        {
            final var children = e.getChildNodes();
            Element next = null;
            for (int i = 0; i < children.getLength(); i++)
            {
                if (children.item(i) instanceof Element child && child.getTagName().equals(name))
                {
                    next = child;
                }
            }
            assertThat(next).as("pom.xml %s", path).isNotNull();
            e = next;
        }
        return e.getTextContent().strip();
    }

    private static List<String> lines(final Path file)
    {
        try
        {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
