package dev.bifrost.apply.consume;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.model.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/** Starts one {@link TargetReplicator} thread per configured target and stops them on shutdown. */
@Component
public class TargetReplicators implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TargetReplicators.class);

    private final ApplyProperties properties;
    private final ConsumerFactory<byte[], byte[]> consumers;
    private final MeterRegistry registry;
    private final List<TargetReplicator> replicators = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    TargetReplicators(ApplyProperties properties, ConsumerFactory<byte[], byte[]> consumers,
            MeterRegistry registry) {
        this.properties = properties;
        this.consumers = consumers;
        this.registry = registry;
    }

    @Override
    public synchronized void start() {
        String topic = Topics.changelog(properties.topicPrefix());
        for (Map.Entry<String, ApplyProperties.Target> target : properties.targets().entrySet()) {
            TargetReplicator replicator = new TargetReplicator(target.getKey(), target.getValue(), properties,
                    consumers, topic, registry);
            Thread thread = new Thread(replicator, "apply-" + target.getKey());
            replicators.add(replicator);
            threads.add(thread);
            thread.start();
            log.info("applying {} to target {} ({})", topic, target.getKey(), target.getValue());
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        replicators.forEach(TargetReplicator::stop);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public synchronized List<TargetReplicator> replicators() {
        return List.copyOf(replicators);
    }

    /** The replicator of a target, if it is configured. */
    public synchronized Optional<TargetReplicator> find(String name) {
        return replicators.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
