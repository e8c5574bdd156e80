package dev.bifrost.capture.publish;

import dev.bifrost.capture.CaptureProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Makes a fresh publisher, with no half-assembled transaction, for each run of the engine. */
@Component
public class ChangelogPublisherFactory {

    private final KafkaTemplate<byte[], byte[]> kafka;
    private final SourceCatalog catalog;
    private final CaptureProperties properties;
    private final CaptureStats stats;

    ChangelogPublisherFactory(KafkaTemplate<byte[], byte[]> kafka, SourceCatalog catalog, CaptureStats stats,
            CaptureProperties properties) {
        this.stats = stats;
        this.kafka = kafka;
        this.catalog = catalog;
        this.properties = properties;
    }

    public ChangelogPublisher create() {
        return new ChangelogPublisher(kafka, catalog, stats, properties);
    }
}
