package dev.bifrost.apply.status;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.model.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The end of the changelog, read in the background every {@code bifrost.apply.status-refresh}: its log-end
 * offset and the newest record timestamp, so that status calls never wait on Kafka.
 */
@Component
class ChangelogEnd implements DisposableBean {

    /** A reading; {@code error} is set when Kafka could not be asked. */
    record Reading(long endOffset, long maxTimestamp, long readAt, @Nullable String error) {
    }

    private final Admin admin;
    private final TopicPartition partition;
    private volatile Reading reading = new Reading(-1, -1, 0, "not read yet");

    ChangelogEnd(KafkaAdmin kafkaAdmin, ApplyProperties properties) {
        Map<String, Object> config = new java.util.HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        this.admin = Admin.create(config);
        this.partition = new TopicPartition(Topics.changelog(properties.topicPrefix()), 0);
    }

    @Scheduled(fixedDelayString = "${bifrost.apply.status-refresh:2s}")
    void refresh() {
        try {
            ListOffsetsResult latest = admin.listOffsets(Map.of(partition, OffsetSpec.latest()));
            ListOffsetsResult newest = admin.listOffsets(Map.of(partition, OffsetSpec.maxTimestamp()));
            long end = latest.partitionResult(partition).get(5, TimeUnit.SECONDS).offset();
            long timestamp = newest.partitionResult(partition).get(5, TimeUnit.SECONDS).timestamp();
            reading = new Reading(end, timestamp, System.currentTimeMillis(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            reading = new Reading(reading.endOffset(), reading.maxTimestamp(), reading.readAt(),
                    "cannot read the end of " + partition + " from Kafka: " + cause.getMessage());
        }
    }

    Reading reading() {
        return reading;
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
