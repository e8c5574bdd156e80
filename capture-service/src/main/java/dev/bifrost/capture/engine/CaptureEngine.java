package dev.bifrost.capture.engine;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.capture.publish.ChangelogPublisherFactory;
import dev.bifrost.capture.publish.InitialSnapshot;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the Debezium embedded engine: one executor runs it; a failed run (ThorDB or Kafka unreachable, say)
 * is started again after {@code bifrost.capture.restart-backoff}, resuming from the last committed offset.
 * With {@code bifrost.capture.engine.enabled=false} (the one-shot commands) it never starts.
 */
@Component
public class CaptureEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CaptureEngine.class);

    /** The engine's lifecycle states. */
    public enum State { STARTING, RUNNING, FAILED, STOPPED }

    private final CaptureProperties properties;
    private final PublicationInitializer publication;
    private final DdlCapture ddlCapture;
    private final ChangelogPublisherFactory publishers;
    private final InitialSnapshot initialSnapshot;
    private final boolean enabled;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "capture-engine"));
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "capture-engine-restart"));

    private volatile boolean running;
    private volatile State state = State.STOPPED;
    private volatile @Nullable String lastError;
    private volatile @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    CaptureEngine(CaptureProperties properties, PublicationInitializer publication, DdlCapture ddlCapture,
            ChangelogPublisherFactory publishers, InitialSnapshot initialSnapshot,
            @Value("${bifrost.capture.engine.enabled:true}") boolean enabled) {
        this.ddlCapture = ddlCapture;
        this.properties = properties;
        this.initialSnapshot = initialSnapshot;
        this.publication = publication;
        this.publishers = publishers;
        this.enabled = enabled;
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public void start() {
        running = true;
        launch();
    }

    private synchronized void launch() {
        if (!running) {
            return;
        }
        state = State.STARTING;
        try {
            publication.ensurePublication();
            ddlCapture.ensureInstalled();
        } catch (RuntimeException e) {
            failed("cannot prepare capture on " + properties.source() + ": " + e.getMessage(), e);
            return;
        }
        executor.execute(this::run);
    }

    /** One run: the initial snapshot if the slot has none, then the engine until it stops. */
    private void run() {
        state = State.RUNNING;
        try {
            initialSnapshot.ensure(DebeziumConfiguration.engineName(properties), () -> running);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failed("initial snapshot of " + properties.source() + " failed: " + e.getMessage(), e);
            return;
        }
        DebeziumEngine<RecordChangeEvent<SourceRecord>> next;
        synchronized (this) {
            if (!running) {
                return;
            }
            next = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(DebeziumConfiguration.of(properties))
                    .notifying(publishers.create())
                    .using((success, message, error) -> {
                        if (!success || error != null) {
                            failed("capture engine stopped: " + message, error);
                        }
                    })
                    .build();
            engine = next;
        }
        log.info("capture engine started on {}, slot {}, publication {}", properties.source(),
                properties.slotName(), properties.publicationName());
        next.run();
    }

    private void failed(String message, @Nullable Throwable error) {
        state = State.FAILED;
        lastError = message;
        if (!running) {
            return;
        }
        log.error("{}; starting again in {}", message, properties.restartBackoff(), error);
        restarts.schedule(this::launch, properties.restartBackoff().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current;
        synchronized (this) {
            running = false;
            current = engine;
        }
        restarts.shutdownNow();
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.warn("capture engine did not close cleanly", e);
            }
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("capture engine did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state = State.STOPPED;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public State state() {
        return state;
    }

    /** Why the engine last failed. */
    public @Nullable String lastError() {
        return lastError;
    }
}
