package dev.tally.verify.eos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.tally.stack.Pids;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engine instances in one consumer group sharing 8 partitions while events flow in. In one scenario an instance
 * is killed with SIGKILL and the other takes its partitions over from the committed metadata; in the other an
 * instance is frozen with SIGSTOP until its partitions have moved, then thawed with SIGCONT: whatever the zombie
 * still sends or commits must not change any result. Both end with an exact {@code ./tally verify}.
 */
class HandOverTest
{
    private static final int PARTITIONS = 8;
    private static final Duration TAKE_OVER = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private static EosStack stack;
    private Process a;
    private Process b;

    @BeforeAll
    static void startStack()
    {
        stack = EosStack.start(dir);
    }

    @AfterAll
    static void stopStack()
    {
        if (stack != null)
        {
            stack.close();
        }
    }

    @AfterEach
    void stopEngines()
    {
        for (final Process p : new Process[] {a, b})
        {
            if (p != null && p.isAlive())
            {
                EosStack.signal(p.pid(), "CONT");
                Pids.kill9(p.pid());
            }
        }
    }

    @Test
    void anInstanceKilledMidRunIsTakenOverExactly() throws Exception
    {
        final String id = "killed";
        final Generation gen = generateInBackground(id);
        a = stack.engine(id, id, "a", id + "-a");
        b = stack.engine(id, id, "b", id + "-b");
        awaitMembers(id, 2);
        awaitCommits(id);
        Pids.kill9(a.pid());
        assertThat(Pids.alive(a.pid())).isFalse();
        awaitOwnsAll(id, b);

        gen.join();
        final EosStack.Verdict verdict = stack.verify(id, id, "--wait", "--wait-timeout", "3m");
        assertThat(verdict.exit()).as(verdict.report()).isZero();
        assertThat(b.isAlive()).as("the survivor is still running").isTrue();
    }

    @Test
    void aStalledInstanceThatWakesAfterItsPartitionsMovedChangesNothing() throws Exception
    {
        final String id = "zombie";
        final Generation gen = generateInBackground(id);
        a = stack.engine(id, id, "a", id + "-a");
        b = stack.engine(id, id, "b", id + "-b");
        awaitMembers(id, 2);
        awaitCommits(id);
        EosStack.signal(a.pid(), "STOP");
        awaitOwnsAll(id, b);
        Thread.sleep(2_000); // the new owner inserts and commits past the zombie's last batches
        EosStack.signal(a.pid(), "CONT");
        awaitMembers(id, 2);

        gen.join();
        final EosStack.Verdict verdict = stack.verify(id, id, "--wait", "--wait-timeout", "3m");
        assertThat(verdict.exit()).as(verdict.report()).isZero();
        assertThat(a.isAlive()).as("the woken instance went on (fenced, rejoined), see zombie-a.log").isTrue();
        awaitLog("zombie-a", "partitions lost [1-9]");
        assertThat(b.isAlive()).isTrue();
    }

    /** Waits until the engine's status line matches {@code regex} (one is printed every 5 s). */
    private static void awaitLog(final String log, final String regex) throws Exception
    {
        final java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pattern.matcher(stack.log(log)).find())
        {
            assertThat(System.nanoTime()).as("%s.log shows '%s'", log, regex).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** 400,000 events at 25,000/s, produced while the engines run. */
    private static Generation generateInBackground(final String topic)
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread thread = Thread.ofPlatform().name("gen-" + topic).daemon().start(() ->
        {
            try
            {
                stack.generate(topic, PARTITIONS, 400_000, 25_000);
            }
            catch (final Throwable t)
            {
                failure.set(t);
            }
        });
        return new Generation(thread, failure);
    }

    private record Generation(Thread thread, AtomicReference<Throwable> failure)
    {
        void join() throws InterruptedException
        {
            thread.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(thread.isAlive()).as("generator finished").isFalse();
            assertThat(failure.get()).as("generator failure").isNull();
        }
    }

    private static Admin admin()
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrap());
        return Admin.create(p);
    }

    /** The group, or an empty one while no member has joined yet. */
    private static List<MemberDescription> members(final Admin admin, final String id) throws Exception
    {
        try
        {
            final ConsumerGroupDescription g =
                admin.describeConsumerGroups(List.of("g_" + id)).all().get(10, TimeUnit.SECONDS).get("g_" + id);
            return List.copyOf(g.members());
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof GroupIdNotFoundException)
            {
                return List.of();
            }
            throw e;
        }
    }

    /** Waits until the group has {@code members} members that between them own all partitions. */
    private static void awaitMembers(final String id, final int members) throws Exception
    {
        try (Admin admin = admin())
        {
            final long deadline = System.nanoTime() + TAKE_OVER.toNanos();
            while (System.nanoTime() < deadline)
            {
                final List<MemberDescription> now = members(admin, id);
                final int owned = now.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                if (now.size() == members && owned == PARTITIONS &&
                    now.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty()))
                {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("group g_" + id + " never had " + members + " members sharing the partitions");
    }

    /** Waits until {@code owner}'s instance is the group's only member and owns every partition. */
    private static void awaitOwnsAll(final String id, final Process owner) throws Exception
    {
        try (Admin admin = admin())
        {
            final long deadline = System.nanoTime() + TAKE_OVER.toNanos();
            while (System.nanoTime() < deadline)
            {
                final List<MemberDescription> members = members(admin, id);
                if (members.size() == 1 && members.getFirst().assignment().topicPartitions().size() == PARTITIONS)
                {
                    assertThat(owner.isAlive()).isTrue();
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("no single member took all partitions of g_" + id + " within " + TAKE_OVER);
    }

    /** Waits until the group has committed tally metadata for every partition. */
    private static void awaitCommits(final String id) throws Exception
    {
        try (Admin admin = admin())
        {
            final long deadline = System.nanoTime() + TAKE_OVER.toNanos();
            while (System.nanoTime() < deadline)
            {
                final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("g_" + id)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (offsets.size() == PARTITIONS &&
                    offsets.values().stream().allMatch(o -> o != null && o.metadata().startsWith("tally1")))
                {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("g_" + id + " committed nothing on some partition within " + TAKE_OVER);
    }
}
