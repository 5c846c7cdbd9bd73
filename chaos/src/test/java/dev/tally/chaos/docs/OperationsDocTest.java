package dev.tally.chaos.docs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.http.EngineMetrics;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.report.Reporter;
import dev.tally.engine.report.Series;
import dev.tally.engine.window.WindowStore;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md against the code. Its generated sections must be exactly what the code renders now; when they
 * are not, the failure names the one command that rewrites them. Its hand-written table of environment variables
 * must list every variable the launcher, the perf scripts and the Java code read, and nothing they do not.
 */
class OperationsDocTest
{
    private static final Pattern METRIC = Pattern.compile("\\b(tally|jvm)_[a-z0-9_]+");
    private static final Pattern VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    static final Path DOC = Repository.HOME.resolve("docs/operations.md");
    /** Set to true to rewrite the generated sections instead of comparing them. */
    static final String WRITE_PROPERTY = "tally.docs.write";
    static final String REWRITE = "mvn -q -pl chaos -am verify -Dtest=OperationsDocTest " +
        "-Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    /** Every generated section of the document, by name, as the code renders it now. */
    static Map<String, String> generated()
    {
        final Map<String, String> sections = new LinkedHashMap<>();
        sections.put("config-reference", ConfigReference.render());
        sections.put("memory", Sizing.render());
        return sections;
    }

    @Test
    void generatedSectionsAreWhatTheCodeRendersNow()
    {
        String text = Repository.read(DOC);
        final List<String> stale = new ArrayList<>();
        for (final Map.Entry<String, String> s : generated().entrySet())
        {
            final String begin = Sections.generated(s.getKey());
            final String wanted = Sections.framed(s.getValue());
            if (!Sections.body(DOC, text, begin).equals(wanted))
            {
                stale.add(s.getKey());
                text = Sections.replace(DOC, text, begin, wanted);
            }
        }
        if (Boolean.getBoolean(WRITE_PROPERTY) && !stale.isEmpty())
        {
            Sections.write(DOC, text);
            System.out.println("rewrote " + stale + " in " + DOC);
            return;
        }
        assertThat(stale).as("docs/operations.md sections that no longer match the code; rewrite them with:\n  " +
            REWRITE + "\nand commit the result").isEmpty();
    }

    @Test
    void theEnvironmentTableListsEveryVariableTheCodeReadsAndNoOther()
    {
        final String table = Sections.body(DOC, Repository.read(DOC), Sections.checked("environment"));
        final Set<String> listed = new TreeSet<>();
        for (final String line : table.split("\n"))
        {
            if (line.startsWith("| `"))
            {
                final Matcher m = VARIABLE.matcher(line.substring(0, line.indexOf(" |", 1)));
                while (m.find())
                {
                    listed.add(m.group(1));
                }
            }
        }
        final Map<String, Set<String>> read = EnvironmentVariables.read();
        final Map<String, Set<String>> missing = new TreeMap<>(read);
        missing.keySet().removeAll(listed);
        final Set<String> stale = new TreeSet<>(listed);
        stale.removeAll(read.keySet());
        assertThat(missing).as("variables the code reads (and where) that docs/operations.md does not list").isEmpty();
        assertThat(stale).as("variables docs/operations.md lists that nothing reads any more").isEmpty();
    }

    @Test
    void everyMetricTheDocsNameIsOneTheEngineServes() throws Exception
    {
        final EngineMetrics metrics = new EngineMetrics();
        final EngineCounters counters = new EngineCounters();
        counters.lag.set(0, 0); // per-partition lag is served only for partitions owned
        metrics.bind(counters, new Reporter(counters, new LatencyRecorders(), new Series(), null, () -> 0, () -> 0),
            () -> 0, () -> 0, () -> 0);
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(text, metrics.registry().scrape());
        final Set<String> served = new TreeSet<>();
        for (final String line : text.toString(StandardCharsets.UTF_8).split("\n"))
        {
            final String name = line.startsWith("# TYPE ") ? line.split(" ")[2] : line.split("[{ ]")[0];
            served.add(name.replaceFirst("_(bucket|count|sum)$", ""));
        }
        for (final Path doc : List.of(DOC, Repository.HOME.resolve("docs/metrics.md")))
        {
            final Set<String> named = new TreeSet<>();
            final Matcher m = METRIC.matcher(Repository.read(doc));
            while (m.find())
            {
                named.add(m.group());
            }
            named.removeAll(served);
            assertThat(named).as("metrics %s names that the engine's /metrics does not serve", Repository.name(doc))
                .isEmpty();
        }
    }

    @Test
    void theWindowStoreGrowsAsTheMemoryTableSays()
    {
        final Sizing.Layout layout = Sizing.Layout.of();
        final int initial = 1_000;
        final WindowStore store = new WindowStore(initial);
        for (int n = 1; n <= 70_000; n++)
        {
            store.insert(n, 0, 0, WindowStore.NONE);
            if (store.arrayBytes() != layout.bytes(initial, n))
            {
                throw new AssertionError("after " + n + " rows the store holds " + store.arrayBytes() +
                    " bytes of arrays, Sizing.Layout says " + layout.bytes(initial, n));
            }
        }
        assertThat(layout.entryBytes()).as("bytes per entry").isPositive();
    }

    @Test
    void everyDefaultADescriptionNamesIsTheCodesDefault()
    {
        assertThat(ConfigReference.describedDefaultsThatDisagree()).isEmpty();
    }
}
