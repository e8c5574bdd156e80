package dev.bifrost.capture.publish;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Sends changelog records to the one partition of the changelog topic that carries the total commit order.
 * Thread-safe; records sent from one thread reach the log in the order they were sent.
 */
@Component
class ChangelogSender {

    /** The topic's max.message.bytes and the producer's max.request.size, less room for the batch header. */
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024 - 64 * 1024;

    private final KafkaTemplate<byte[], byte[]> kafka;
    private final ChangelogSerde serde = new ChangelogSerde();
    private final String topic;
    private final byte[] key;

    ChangelogSender(KafkaTemplate<byte[], byte[]> kafka, CaptureProperties properties) {
        this.kafka = kafka;
        this.topic = Topics.changelog(properties.topicPrefix());
        this.key = properties.source().database().getBytes(StandardCharsets.UTF_8);
    }

    CompletableFuture<SendResult<byte[], byte[]>> send(ChangelogRecord record) {
        byte[] value = serde.serialize(record);
        if (value.length > MAX_RECORD_BYTES) {
            // refused before sending: a later, smaller record must never reach Kafka ahead of this one
            throw new IllegalStateException("a changelog chunk of transaction " + record.xid() + " is " + value.length
                    + " bytes, over the " + MAX_RECORD_BYTES + " the topic accepts; lower "
                    + "bifrost.capture.chunk.max-bytes (a single row this large cannot be replicated)");
        }
        return kafka.send(new ProducerRecord<>(topic, 0, key, value));
    }

    /** Sends what the producer holds now. */
    void flush() {
        kafka.flush();
    }

    String topic() {
        return topic;
    }
}
