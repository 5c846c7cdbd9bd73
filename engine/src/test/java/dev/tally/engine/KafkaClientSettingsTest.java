package dev.tally.engine;

import dev.tally.engine.sink.DeadLetters;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --kafka-config}: TLS and SASL settings from a file reach the Kafka clients; keys the engine owns do not. */
class KafkaClientSettingsTest
{
    private static final String SASL_SSL = """
        # a cluster behind SASL over TLS
        security.protocol = SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="tally" password="s3cret";
        ssl.truststore.location=/run/secrets/kafka-truststore.p12
        ssl.truststore.type=PKCS12
        """;

    @TempDir
    Path dir;

    @Test
    void fileSettingsAreAddedToTheConsumerWithoutTouchingWhatTheEngineSets() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("kafka.properties"), SASL_SSL);
        final RunMain main = new RunMain();
        new CommandLine(main).parseArgs("--kafka-config", file.toString(), "--group", "g1");
        final EngineConfig config = main.config().conclude();

        assertThat(config.kafkaClient).containsEntry("security.protocol", "SASL_SSL")
            .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
            .containsEntry("ssl.truststore.type", "PKCS12")
            .hasSize(5);
        final Properties consumer = Engine.consumerProperties(config);
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL")
            .containsEntry("ssl.truststore.location", "/run/secrets/kafka-truststore.p12")
            .containsEntry("isolation.level", "read_committed")
            .containsEntry("enable.auto.commit", "false")
            .containsEntry("group.id", "g1");
    }

    @Test
    void noFileMeansNoExtraSettings() throws Exception
    {
        final RunMain main = new RunMain();
        new CommandLine(main).parseArgs();
        assertThat(main.config().kafkaClient).isEmpty();
        assertThat(KafkaClientSettings.load(null)).isEmpty();
    }

    @Test
    void aKeyTheEngineOwnsIsRefusedNamingWhatToDoInstead() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("bad.properties"),
            "security.protocol=SSL\nisolation.level=read_uncommitted\n");
        assertThatThrownBy(() -> KafkaClientSettings.load(file)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--kafka-config must not set isolation.level (the engine reads read_committed)");

        final EngineConfig config = new EngineConfig();
        config.kafkaClient = Map.of("bootstrap.servers", "elsewhere:9092");
        assertThatThrownBy(config::conclude).hasMessageContaining("pass --bootstrap");
    }

    @Test
    void runSaysInOneLineWhichFileOrKeyIsWrongAndExitsTwo() throws Exception
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final Path owned = Files.writeString(dir.resolve("owned.properties"), "group.id=other\n");

        assertThat(RunMain.run(out, errStream, "--kafka-config", dir.resolve("missing.properties").toString()))
            .isEqualTo(2);
        assertThat(RunMain.run(out, errStream, "--kafka-config", owned.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
            .anySatisfy(l -> assertThat(l).contains("cannot read --kafka-config").contains("missing.properties"))
            .anySatisfy(l -> assertThat(l).contains("must not set group.id (pass --group)"));
    }

    @Test
    void theDeadLetterProducerGetsTheSettingsToo()
    {
        // An invalid value fails the producer's own config check: proof the setting reached it.
        assertThatThrownBy(() -> new DeadLetters("127.0.0.1:1", Map.of("security.protocol", "CARRIER_PIGEON"),
            "dlq", new EngineCounters()).close())
            .isInstanceOf(KafkaException.class).hasMessageContaining("CARRIER_PIGEON");

        final DeadLetters sasl = new DeadLetters("127.0.0.1:1", Map.of("security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "PLAIN", "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";"),
            "dlq", new EngineCounters());
        sasl.close();
    }
}
