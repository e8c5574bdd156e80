package dev.bifrost.apply.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.apply.OneTarget;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import dev.bifrost.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A target's replicator thread against a real broker and a real target: an {@link Error} thrown while it
 * works (a bug, a class that fails to link) shows the target as failed and is retried, instead of ending the
 * thread and leaving the target stalled while the service looks alive.
 */
class TargetReplicatorIT {

    private static final String TOPIC = "thordb.changelog";
    private static final TableSchema T = new TableSchema("raw", "t", List.of(
            new Column("id", "bigint", false, true),
            new Column("name", "text", true, false)));

    @Test
    void anErrorMarksTheTargetFailedAndIsRetried() throws Exception {
        try (PostgresServer postgres = PostgresServer.start("replicator")) {
            postgres.createDatabase("target");
            EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
            kafka.afterPropertiesSet();
            try {
                List<String> expected = publish(kafka.getBrokersAsString());
                AtomicInteger consumersAsked = new AtomicInteger();
                ConsumerFactory<byte[], byte[]> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none")) {
                    @Override
                    public Consumer<byte[], byte[]> createConsumer(@Nullable String groupId,
                            @Nullable String clientIdPrefix) {
                        if (consumersAsked.getAndIncrement() == 0) {
                            throw new LinkageError("injected by the test");
                        }
                        return super.createConsumer(groupId, clientIdPrefix);
                    }
                };
                ApplyProperties.Target target = OneTarget.target(postgres);
                ApplyProperties properties = OneTarget.properties(target);
                TargetReplicator replicator = new TargetReplicator("t", target, properties, consumers, TOPIC,
                        new SimpleMeterRegistry());
                Thread thread = new Thread(replicator, "apply-t");
                thread.start();
                try {
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                            .until(() -> replicator.state() == TargetReplicator.State.RETRYING);
                    assertThat(replicator.lastError()).contains("injected by the test");

                    try (Connection c = postgres.connect("target")) {
                        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                                .until(() -> rows(c).equals(expected));
                    }
                    assertThat(thread.isAlive()).isTrue();
                    assertThat(replicator.state()).isEqualTo(TargetReplicator.State.RUNNING);
                    assertThat(replicator.lastError()).isNull();
                    assertThat(consumersAsked).hasValue(2);
                } finally {
                    replicator.stop();
                    thread.join(30_000);
                }
            } finally {
                kafka.destroy();
            }
        }
    }

    /** Three source transactions; returns the rows the target must end with. */
    private static List<String> publish(String bootstrap) {
        ChangelogSerde serde = new ChangelogSerde();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(TOPIC, serde.serialize(tx(1, 100,
                    RowChange.insert(0, new String[] {"1", "one"}), RowChange.insert(0, new String[] {"2", "two"})))));
            producer.send(new ProducerRecord<>(TOPIC, serde.serialize(tx(2, 200,
                    RowChange.update(0, new String[] {"2", "zwei"}, new int[0])))));
            producer.send(new ProducerRecord<>(TOPIC, serde.serialize(tx(3, 300,
                    RowChange.delete(0, new String[] {"1"}), RowChange.insert(0, new String[] {"3", "drei"})))));
            producer.flush();
        }
        return List.of("2|zwei", "3|drei");
    }

    private static ChangelogRecord tx(long xid, long lsn, RowChange... changes) {
        return new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, xid, 0, true, lsn,
                1_700_000_000_000_000L, List.of(T), List.of(changes));
    }

    private static List<String> rows(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name FROM raw.t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2));
            }
        }
        return out;
    }
}
