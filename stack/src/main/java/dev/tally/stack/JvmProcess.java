package dev.tally.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a service as a JVM process of its own: the same JDK as the caller, the shared flags of
 * {@code jvm.options}, a classpath and a log file. The caller keeps the pid; nothing here waits for readiness.
 */
public final class JvmProcess
{
    private final String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String classpath = System.getProperty("java.class.path");
    private Consumer<Map<String, String>> environment = env -> { };
    private Path log;
    private Path workDir;

    private JvmProcess(final String mainClass)
    {
        this.mainClass = mainClass;
    }

    public static JvmProcess of(final String mainClass)
    {
        return new JvmProcess(mainClass);
    }

    public JvmProcess heap(final String size)
    {
        jvmArgs.add("-Xms" + size);
        jvmArgs.add("-Xmx" + size);
        return this;
    }

    public JvmProcess jvmArg(final String arg)
    {
        jvmArgs.add(arg);
        return this;
    }

    public JvmProcess classpath(final String classpath)
    {
        this.classpath = classpath;
        return this;
    }

    public JvmProcess args(final String... args)
    {
        this.args.addAll(List.of(args));
        return this;
    }

    /** stdout and stderr both go here (appended), so a crashed service leaves its last words. */
    public JvmProcess log(final Path log)
    {
        this.log = log;
        return this;
    }

    /** Adjusts the child's environment (inherited from this process) before it starts, e.g. {@code LD_PRELOAD}. */
    public JvmProcess environment(final Consumer<Map<String, String>> environment)
    {
        this.environment = environment;
        return this;
    }

    public JvmProcess workDir(final Path workDir)
    {
        this.workDir = workDir;
        return this;
    }

    public List<String> command()
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary().toString());
        final Path options = TallyHome.jvmOptions();
        if (Files.isRegularFile(options))
        {
            cmd.add("@" + options);
        }
        cmd.add("-Dtally.home=" + TallyHome.dir());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    public Process start() throws IOException
    {
        final ProcessBuilder pb = new ProcessBuilder(command());
        environment.accept(pb.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (log != null)
        {
            Files.createDirectories(log.toAbsolutePath().getParent());
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        else
        {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        if (workDir != null)
        {
            pb.directory(workDir.toFile());
        }
        return pb.start();
    }

    /** The java binary of the running JVM, so children run on the same JDK (>= 25) as their parent. */
    public static Path javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
