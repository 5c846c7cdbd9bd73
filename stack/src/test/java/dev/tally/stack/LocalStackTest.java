package dev.tally.stack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stack's lifecycle on fresh ports: up writes state, a second up is a no-op, status sees a killed broker,
 * up restarts it, down leaves no process. ClickHouse is an external URL here; its own tests start the server.
 */
class LocalStackTest
{
    @TempDir
    Path var;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    @AfterEach
    void down()
    {
        LocalStack.down(var, out);
    }

    private StackOptions options()
    {
        final StackOptions o = new StackOptions();
        o.kafkaPort = Ports.freePort();
        o.controllerPort = Ports.freePort();
        o.clickhouseUrl = "http://127.0.0.1:8123";
        o.timeoutSeconds = 90;
        return o;
    }

    @Test
    void upIsIdempotentStatusSeesDeathAndDownStopsEverything()
    {
        final StackOptions o = options();
        final LocalStack.Result first = LocalStack.up(var, o, out);
        assertThat(first.alreadyUp()).isFalse();
        final ServiceProcess broker = first.state().services().getFirst();
        assertThat(broker.name()).isEqualTo("kafka-1");
        assertThat(broker.ours()).isTrue();
        assertThat(StackState.read(var)).contains(first.state());

        final LocalStack.Result second = LocalStack.up(var, o, out);
        assertThat(second.alreadyUp()).isTrue();
        assertThat(second.state().services().getFirst().pid()).isEqualTo(broker.pid());
        assertThat(LocalStack.status(var, out)).isTrue();

        final StackOptions three = options();
        three.brokers = 3;
        assertThatThrownBy(() -> LocalStack.up(var, three, out))
            .isInstanceOf(StackException.class).hasMessageContaining("stack down");

        Pids.kill9(broker.pid());
        assertThat(LocalStack.status(var, out)).isFalse();
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("DOWN (pid " + broker.pid());

        final LocalStack.Result restarted = LocalStack.up(var, o, out);
        final long newPid = restarted.state().services().getFirst().pid();
        assertThat(newPid).isNotEqualTo(broker.pid());
        assertThat(LocalStack.status(var, out)).isTrue();

        LocalStack.down(var, out);
        assertThat(Pids.alive(newPid)).isFalse();
        assertThat(StackState.read(var)).isEmpty();
        assertThat(LocalStack.status(var, out)).isFalse();
    }

    @Test
    void takenPortIsAOneLineErrorNamingTheFlag() throws Exception
    {
        final StackOptions o = options();
        try (ServerSocket taken = new ServerSocket(o.kafkaPort, 1, java.net.InetAddress.getByName(Ports.LOOPBACK)))
        {
            assertThat(taken.isBound()).isTrue();
            assertThatThrownBy(() -> LocalStack.up(var, o, out))
                .isInstanceOf(StackException.class)
                .hasMessageContaining("port 127.0.0.1:" + o.kafkaPort + " is already in use")
                .hasMessageContaining("--kafka-port")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(StackState.read(var)).isEmpty();
    }

    @Test
    void staleStateNeverSignalsAProcessThatIsNotOurs()
    {
        final long self = ProcessHandle.current().pid();
        final ServiceProcess foreign = new ServiceProcess("kafka-1", self, 1, "127.0.0.1:1", var.resolve("nowhere"), var.resolve("log"));
        new StackState(1, "127.0.0.1:1", "", java.util.List.of(foreign)).write(var);
        assertThat(foreign.ours()).isFalse();
        LocalStack.down(var, out);
        assertThat(Pids.alive(self)).isTrue();
        assertThat(StackState.read(var)).isEmpty();
    }
}
