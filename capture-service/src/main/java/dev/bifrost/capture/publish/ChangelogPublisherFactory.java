package dev.bifrost.capture.publish;

import dev.bifrost.capture.CaptureProperties;
import org.springframework.stereotype.Component;

/** Makes a fresh publisher, with no half-assembled transaction, for each run of the engine. */
@Component
public class ChangelogPublisherFactory {

    private final ChangelogSender sender;
    private final SourceCatalog catalog;
    private final ShapeHistory history;
    private final CaptureProperties properties;
    private final CaptureStats stats;

    ChangelogPublisherFactory(ChangelogSender sender, SourceCatalog catalog, ShapeHistory history,
            CaptureStats stats, CaptureProperties properties) {
        this.history = history;
        this.stats = stats;
        this.sender = sender;
        this.catalog = catalog;
        this.properties = properties;
    }

    public ChangelogPublisher create() {
        return new ChangelogPublisher(sender, catalog, history, stats, properties);
    }
}
