package dev.tally.engine.http;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The /dashboard page rendered by a real headless Chromium against a fixed /api/series payload: the page must fetch
 * the series, draw every chart (checked pixel by pixel in a screenshot, inside each chart's canvas) and mark itself
 * ready; a failing fetch must say so in the status line and keep the charts it already drew.
 */
final class DashboardRenderTest
{
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 1000;
    private static final long CHROMIUM_TIMEOUT_S = 60;
    /** Pixels of a series' own colour a chart must show; a legend swatch (10x10) sits outside the canvas anyway. */
    private static final int MIN_PIXELS = 150;
    /** Sum of the absolute RGB differences still counted as the series' colour (antialiased edges are not). */
    private static final int COLOUR_TOLERANCE = 24;

    /** A chart (its canvas id) and the series it draws as lines, in the payload's names. */
    private record Chart(String id, List<String> series)
    {
    }

    private static final List<Chart> CHARTS = List.of(
        new Chart("throughput", List.of("records_per_s", "rows_inserted_per_s")),
        new Chart("lag", List.of("lag_records")),
        new Chart("latency", List.of("e2e_p50_ms", "e2e_p99_ms", "e2e_p999_ms")),
        new Chart("batch", List.of("batch_rows")),
        new Chart("memory", List.of("heap_used_mb", "heap_max_mb")));

    private static final Pattern SERIES_COLOUR =
        Pattern.compile("key: \"(\\w+)\", label: \"[^\"]*\", color: \"#([0-9a-fA-F]{6})\"");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void pageLoadsNothingFromOtherHosts() throws IOException
    {
        final String html = resource("dashboard.html");
        assertThat(Pattern.compile("(?i)https?://").matcher(html).find())
            .as("dashboard.html must be self-contained, but it references an absolute http(s) URL").isFalse();
        assertThat(Pattern.compile("(?i)<script[^>]*\\ssrc=|<link\\b|@import|url\\(").matcher(html).find())
            .as("dashboard.html must inline its scripts and styles").isFalse();
    }

    @Test
    void chromiumDrawsEveryChartFromTheSeries() throws Exception
    {
        final Path chromium = Path.of(System.getenv().getOrDefault("TALLY_CHROMIUM", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(chromium))
            .as("this test renders the dashboard in headless Chromium, but %s is missing: install it " +
                "(apt-get install chromium) or point TALLY_CHROMIUM at a chromium binary", chromium)
            .isTrue();

        final byte[] page = resource("dashboard.html").getBytes(StandardCharsets.UTF_8);
        final byte[] fixture = resource("series-fixture.json").getBytes(StandardCharsets.UTF_8);
        final String fixtureText = new String(fixture, StandardCharsets.UTF_8);
        final AtomicInteger flakyCalls = new AtomicInteger();
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange ->
        {
            switch (exchange.getRequestURI().getPath())
            {
                case "/dashboard", "/flaky/dashboard" -> respond(exchange, 200, "text/html; charset=utf-8", page);
                case "/api/series" -> respond(exchange, 200, "application/json", fixture);
                // The engine answers once, then is gone: the page must say so and keep what it drew.
                case "/flaky/api/series" -> respond(exchange, flakyCalls.getAndIncrement() == 0 ? 200 : 503,
                    "application/json", fixture);
                default -> respond(exchange, 404, "text/plain", new byte[0]);
            }
        });
        server.start();
        final List<Run> runs = new ArrayList<>();
        try
        {
            final String base = "http://127.0.0.1:" + server.getAddress().getPort();
            final Path shot = dir.resolve("shot.png");
            // Three independent browsers at once: the start-up of each dominates, not the rendering.
            runs.add(Run.start(chromium, dir, "shot", "--screenshot=" + shot, base + "/dashboard"));
            runs.add(Run.start(chromium, dir, "dom", "--dump-dom", base + "/dashboard"));
            runs.add(Run.start(chromium, dir, "flaky", "--dump-dom", base + "/flaky/dashboard"));
            for (final Run run : runs)
            {
                run.awaitSuccess();
            }

            assertThat(shot).as("the screenshot chromium should have written").exists();
            Files.createDirectories(Path.of("target"));
            Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

            final String dom = withoutScripts(runs.get(1).stdout());
            assertThat(bodyAttributes(dom)).as("<body> attributes after the first render").containsEntry("data-ready", "1");
            assertThat(statusText(dom)).as("status line").isEqualTo(jsonString(fixtureText, "status"));
            final Map<String, Map<String, String>> canvases = canvases(dom);
            assertThat(canvases.keySet()).as("charts on the page")
                .containsExactlyElementsOf(CHARTS.stream().map(Chart::id).toList());
            for (final Map.Entry<String, Map<String, String>> canvas : canvases.entrySet())
            {
                assertThat(Integer.parseInt(canvas.getValue().getOrDefault("data-points", "0")))
                    .as("non-null points drawn in chart %s", canvas.getKey()).isPositive();
            }

            final Map<String, Integer> colours = seriesColours(new String(page, StandardCharsets.UTF_8));
            assertThat(colours.values()).as("series colours must be distinct").doesNotHaveDuplicates();
            final BufferedImage image = ImageIO.read(shot.toFile());
            assertThat(image).as("decoded screenshot").isNotNull();
            assertThat(image.getWidth()).as("screenshot width (device pixel ratio 1)").isEqualTo(WIDTH);
            for (final Chart chart : CHARTS)
            {
                final String dataBox = canvases.get(chart.id()).get("data-box");
                final int[] box = box(dataBox, image);
                for (final String series : chart.series())
                {
                    assertThat(colours).as("colour of series %s", series).containsKey(series);
                    assertThat(countPixels(image, box, colours.get(series)))
                        .as("pixels of %s (#%06x) inside chart %s at %s", series, colours.get(series), chart.id(), dataBox)
                        .isGreaterThanOrEqualTo(MIN_PIXELS);
                }
            }

            final String flaky = withoutScripts(runs.get(2).stdout());
            assertThat(flakyCalls.get()).as("fetches of the flaky series (one good, then failures)").isGreaterThan(1);
            assertThat(statusText(flaky)).as("status line once the engine is gone").startsWith("engine not reachable");
            assertThat(bodyAttributes(flaky)).as("<body> attributes of the flaky page").containsEntry("data-ready", "1");
            for (final Map.Entry<String, Map<String, String>> canvas : canvases(flaky).entrySet())
            {
                assertThat(canvas.getValue().get("data-points"))
                    .as("chart %s keeps the last data after failed fetches", canvas.getKey())
                    .isEqualTo(canvases.get(canvas.getKey()).get("data-points"));
            }
        }
        finally
        {
            runs.forEach(Run::kill);
            server.stop(0);
        }
    }

    /** One headless Chromium process; its output goes to files so its chatter never fills a pipe. */
    private record Run(String name, Process process, Path stdoutFile, Path stderrFile)
    {
        static Run start(final Path chromium, final Path dir, final String name, final String... args) throws IOException
        {
            final List<String> command = new ArrayList<>(List.of(chromium.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--window-size=" + WIDTH + "," + HEIGHT, "--virtual-time-budget=5000",
                "--user-data-dir=" + dir.resolve("profile-" + name)));
            command.addAll(List.of(args));
            final Path out = dir.resolve(name + ".out");
            final Path err = dir.resolve(name + ".err");
            final Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Run(name, process, out, err);
        }

        void awaitSuccess() throws IOException, InterruptedException
        {
            if (!process.waitFor(CHROMIUM_TIMEOUT_S, TimeUnit.SECONDS))
            {
                kill();
                throw new AssertionError("chromium (" + name + ", pid " + process.pid() + ") did not finish within " +
                    CHROMIUM_TIMEOUT_S + " s and was killed; its stderr ends with:\n" + tail(stderrFile));
            }
            assertThat(process.exitValue()).as("chromium (%s) exit code; its stderr ends with:%n%s", name, tail(stderrFile))
                .isZero();
        }

        /** By pid, if still running: the browser's own helpers (zygote, renderer, gpu) first, then the browser. */
        void kill()
        {
            if (process.isAlive())
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try
                {
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        String stdout() throws IOException
        {
            return Files.readString(stdoutFile, StandardCharsets.UTF_8);
        }

        private static String tail(final Path file)
        {
            try
            {
                final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            }
            catch (final IOException e)
            {
                return "(unreadable: " + e + ")";
            }
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException
    {
        try (exchange)
        {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0)
            {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static String resource(final String name) throws IOException
    {
        try (InputStream in = DashboardRenderTest.class.getResourceAsStream(name))
        {
            assertThat(in).as("classpath resource dev/tally/engine/http/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The dumped DOM still carries the page's script source, which contains markup in string literals. */
    private static String withoutScripts(final String dom)
    {
        return dom.replaceAll("(?s)<script\\b.*?</script>", "");
    }

    private static Map<String, String> attributes(final String tag)
    {
        final Map<String, String> attributes = new LinkedHashMap<>();
        final Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find())
        {
            attributes.put(m.group(1), m.group(2));
        }
        return attributes;
    }

    private static Map<String, String> bodyAttributes(final String dom)
    {
        final Matcher m = Pattern.compile("<body\\b[^>]*>").matcher(dom);
        assertThat(m.find()).as("<body> in the dumped DOM:%n%s", dom).isTrue();
        return attributes(m.group());
    }

    private static Map<String, Map<String, String>> canvases(final String dom)
    {
        final Map<String, Map<String, String>> canvases = new LinkedHashMap<>();
        final Matcher m = Pattern.compile("<canvas\\b[^>]*>").matcher(dom);
        while (m.find())
        {
            final Map<String, String> attributes = attributes(m.group());
            canvases.put(attributes.get("id"), attributes);
        }
        return canvases;
    }

    private static String statusText(final String dom)
    {
        final Matcher m = Pattern.compile("<div id=\"status\"[^>]*>([^<]*)</div>").matcher(dom);
        assertThat(m.find()).as("status line in the dumped DOM:%n%s", dom).isTrue();
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** A top-level string member of the fixture; enough JSON for a fixture whose status has no escapes. */
    private static String jsonString(final String json, final String member)
    {
        final Matcher m = Pattern.compile("\"" + member + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(json);
        assertThat(m.find()).as("member %s of the fixture", member).isTrue();
        return m.group(1);
    }

    /** Series key to RGB, read from the page's own chart table so the test follows a palette change. */
    private static Map<String, Integer> seriesColours(final String html)
    {
        final Map<String, Integer> colours = new LinkedHashMap<>();
        final Matcher m = SERIES_COLOUR.matcher(html);
        while (m.find())
        {
            colours.put(m.group(1), Integer.parseInt(m.group(2), 16));
        }
        return colours;
    }

    /** data-box "x,y,w,h" (CSS pixels, equal to screenshot pixels at ratio 1) checked against the image. */
    private static int[] box(final String dataBox, final BufferedImage image)
    {
        assertThat(dataBox).as("canvas data-box").isNotNull().matches("\\d+,\\d+,\\d+,\\d+");
        final String[] parts = dataBox.split(",");
        final int[] box = new int[4];
        for (int i = 0; i < 4; i++)
        {
            box[i] = Integer.parseInt(parts[i]);
        }
        assertThat(box[2] > 100 && box[3] > 100 && box[0] + box[2] <= image.getWidth() && box[1] + box[3] <= image.getHeight())
            .as("canvas box %s is a sizeable area inside the %dx%d screenshot", dataBox, image.getWidth(), image.getHeight())
            .isTrue();
        return box;
    }

    private static int countPixels(final BufferedImage image, final int[] box, final int rgb)
    {
        int count = 0;
        for (int y = box[1]; y < box[1] + box[3]; y++)
        {
            for (int x = box[0]; x < box[0] + box[2]; x++)
            {
                final int p = image.getRGB(x, y);
                final int distance = Math.abs((p >> 16 & 0xff) - (rgb >> 16 & 0xff)) +
                    Math.abs((p >> 8 & 0xff) - (rgb >> 8 & 0xff)) + Math.abs((p & 0xff) - (rgb & 0xff));
                if (distance <= COLOUR_TOLERANCE)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
