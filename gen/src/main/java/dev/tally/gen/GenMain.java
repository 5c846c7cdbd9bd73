package dev.tally.gen;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./tally gen}: generate the deterministic event stream into Kafka. Exit codes: 0 done, 1 Kafka
 * unreachable or events failed, 2 bad command line.
 */
@Command(name = "gen", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generate a deterministic event stream (event i is a pure function of --seed and i) into Kafka.")
public final class GenMain implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic = "events";

    @Option(names = "--partitions", description = "Partitions when creating the topic (default: ${DEFAULT-VALUE}).")
    int partitions = 8;

    @Option(names = "--replication-factor", description = "Replication when creating the topic (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Option(names = "--seed", description = "Seed of the stream (default: 1, or the topic's run on --resume).")
    Long seed;

    @Option(names = "--events", description = "Stop after event index N-1; 0 = no limit (default: ${DEFAULT-VALUE}).")
    long events = 1_000_000;

    @Option(names = "--duration", converter = Converters.Millis.class, description = "Stop after this long, e.g. 60s.")
    Long durationMs;

    @Option(names = "--rate", description = "Events/s to send, token-bucket paced; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    long rate = 50_000;

    @Option(names = "--time-rate", description = "Events per second of event time when --rate is 0 (default: ${DEFAULT-VALUE}).")
    long timeRate = 100_000;

    @Option(names = "--burst-factor", description = "Rate multiplier during bursts, e.g. 3 (default: ${DEFAULT-VALUE}).")
    double burstFactor = 1.0;

    @Option(names = "--burst-every", converter = Converters.Millis.class, description = "Period of bursts, e.g. 60s; 0 = none.")
    long burstEveryMs;

    @Option(names = "--burst-length", converter = Converters.Millis.class, description = "Length of each burst (default: 5s).")
    long burstLengthMs = 5_000;

    @Option(names = "--accounts", description = "Accounts, Zipf-distributed (default: ${DEFAULT-VALUE}).")
    long accounts = 10_000_000L;

    @Option(names = "--zipf-s", description = "Zipf exponent of account activity (default: ${DEFAULT-VALUE}).")
    double zipfS = 1.1;

    @Option(names = "--event-time-start", converter = Converters.EpochMillis.class,
        description = "Nominal time of event 0: epoch ms or ISO-8601 (default: now, or the topic's run on --resume).")
    Long eventTimeStart;

    @Option(names = "--lag-mean", converter = Converters.Millis.class, description = "Mean (exponential) lag of event time behind send time (default: 50ms).")
    long lagMeanMs = 50;

    @Option(names = "--out-of-order-spread", converter = Converters.Millis.class, description = "Uniform local shuffle of event times (default: 1s).")
    long outOfOrderSpreadMs = 1_000;

    @Option(names = "--late-fraction", description = "Fraction of events that arrive late (default: ${DEFAULT-VALUE}).")
    double lateFraction = 0.02;

    @Option(names = "--late-min", converter = Converters.Millis.class, description = "Least lateness, log-uniform tail (default: 3s).")
    long lateMinMs = 3_000;

    @Option(names = "--late-max", converter = Converters.Millis.class, description = "Most lateness (default: 10m).")
    long lateMaxMs = 600_000;

    @Option(names = "--refund-fraction", description = "Fraction of refunds (default: ${DEFAULT-VALUE}).")
    double refundFraction = 0.03;

    @Option(names = "--foreign-fraction", description = "Fraction of events outside the account's home country (default: ${DEFAULT-VALUE}).")
    double foreignFraction = 0.05;

    @Option(names = "--amount-median", description = "Median purchase in minor units, log-normal (default: ${DEFAULT-VALUE}).")
    long amountMedian = 2_500;

    @Option(names = "--amount-sigma", description = "Sigma of log(amount) (default: ${DEFAULT-VALUE}).")
    double amountSigma = 1.0;

    @Option(names = "--min-size", description = "Smallest binary value in bytes (default: ${DEFAULT-VALUE}).")
    int minSize = 200;

    @Option(names = "--max-size", description = "Largest binary value in bytes (default: ${DEFAULT-VALUE}).")
    int maxSize = 400;

    @Option(names = "--malformed-fraction", description = "Fraction of deliberately corrupt records (default: ${DEFAULT-VALUE}).")
    double malformedFraction;

    @Option(names = "--json-fraction", description = "Fraction of events sent in the JSON form (default: ${DEFAULT-VALUE}).")
    double jsonFraction;

    @Option(names = "--transactional", description = "Send inside transactions, committed every --txn-ms.")
    boolean transactional;

    @Option(names = "--transactional-id", description = "transactional.id (default: tally-gen-<topic>).")
    String transactionalId;

    @Option(names = "--txn-ms", description = "Commit interval in ms (default: ${DEFAULT-VALUE}).")
    long txnMs = 100;

    @Option(names = "--resume", description = "Continue after the last event index present in the topic.")
    boolean resume;

    @Option(names = "--linger-ms", description = "Producer linger.ms (default: ${DEFAULT-VALUE}).")
    int lingerMs = 5;

    @Option(names = "--batch-size", description = "Producer batch.size in bytes (default: ${DEFAULT-VALUE}).")
    int batchSize = 256 * 1024;

    @Option(names = "--progress-interval", converter = Converters.Millis.class, description = "Progress line interval (default: 1s).")
    long progressMs = 1_000;

    @Option(names = "--connect-timeout", converter = Converters.Millis.class, description = "How long to wait for Kafka (default: 10s).")
    long connectTimeoutMs = 10_000;

    @Option(names = "--dry-run", description = "Generate and encode but send nothing: the generator's own ceiling.")
    boolean dryRun;

    @Option(names = "--create-topic", description = "Create the topic (--partitions, --replication-factor) if it is " +
        "missing, send nothing and exit: lets a consumer start before the first event.")
    boolean createTopicOnly;

    /**
     * Run the command and return its exit code, without exiting.
     *
     * @param args command-line arguments.
     * @return 0, 1 or 2.
     */
    public static int run(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new GenMain());
        commandLine.setParameterExceptionHandler(GenMain::badParameter);
        return commandLine.execute(args);
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    @Override
    public Integer call()
    {
        final GenConfig config = config();
        try
        {
            config.validate();
            if (partitions < 1 || replicationFactor < 1 || txnMs < 1 || progressMs < 1 || batchSize < 1 || lingerMs < 0)
            {
                throw new IllegalArgumentException(
                    "--partitions, --replication-factor, --txn-ms, --progress-interval and --batch-size must be positive");
            }
            if (events < 0)
            {
                throw new IllegalArgumentException("--events must be >= 0");
            }
        }
        catch (final IllegalArgumentException e)
        {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return new GenRun(this, config).call();
    }

    GenConfig config()
    {
        return new GenConfig()
            .seed(seed == null ? 1 : seed).accounts(accounts).zipfS(zipfS)
            .eventTimeStart(eventTimeStart == null ? System.currentTimeMillis() / 1000 * 1000 : eventTimeStart)
            .rate(rate).timeRate(timeRate).burstFactor(burstFactor).burstEveryMs(burstEveryMs)
            .burstLengthMs(burstLengthMs).lagMeanMs(lagMeanMs).outOfOrderSpreadMs(outOfOrderSpreadMs)
            .lateFraction(lateFraction).lateMinMs(lateMinMs).lateMaxMs(lateMaxMs).refundFraction(refundFraction)
            .foreignFraction(foreignFraction).amountMedian(amountMedian).amountSigma(amountSigma)
            .minSize(minSize).maxSize(maxSize).malformedFraction(malformedFraction).jsonFraction(jsonFraction);
    }

    private static int badParameter(final ParameterException e, final String[] args)
    {
        final PrintWriter err = e.getCommandLine().getErr();
        err.println("tally gen: " + e.getMessage() + " (see ./tally gen --help)");
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
}
