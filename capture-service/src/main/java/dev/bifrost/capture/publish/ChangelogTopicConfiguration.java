package dev.bifrost.capture.publish;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.model.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The changelog topic, created at start if missing: one partition, so that it carries one commit order. */
@Configuration(proxyBeanMethods = false)
class ChangelogTopicConfiguration {

    @Bean
    NewTopic changelogTopic(CaptureProperties properties) {
        return TopicBuilder.name(Topics.changelog(properties.topicPrefix()))
                .partitions(1)
                .replicas(properties.topic().replicationFactor())
                .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(properties.topic().retention().toMillis()))
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024))
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .build();
    }
}
