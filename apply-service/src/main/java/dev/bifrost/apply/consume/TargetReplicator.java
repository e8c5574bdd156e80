package dev.bifrost.apply.consume;

import dev.bifrost.apply.ApplyProperties;
import dev.bifrost.apply.apply.ApplySession;
import dev.bifrost.apply.apply.ApplyStats;
import dev.bifrost.apply.apply.SqlErrors;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Replicates the changelog into one target, on its own thread, independent of every other target.
 *
 * <p>On start and after every failure it opens a fresh target connection, reads the position stored in the
 * target and seeks the consumer there (see {@link ApplySession}); Kafka's committed offsets of the group
 * {@code apply-<target>} are written after each target commit for monitoring only, never read. A failure
 * that retrying can fix (target or Kafka unreachable) backs off exponentially and tries again; a write that
 * fails for good stops the target at the last whole source transaction (on-error: stop, the default) or puts the
 * session in careful mode up to the offset reached (on-error: set-aside), so that only the changes that
 * cannot be applied, and the later changes of their tables, go to the dead-letter store.
 */
public final class TargetReplicator implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TargetReplicator.class);

    /** What the replicator is doing. */
    public enum State { STARTING, RUNNING, PAUSED, RETRYING, STOPPED }

    private final String name;
    private final ApplyProperties.Target target;
    private final ApplyProperties properties;
    private final ConsumerFactory<byte[], byte[]> consumers;
    private final TopicPartition partition;
    private final ApplyStats stats;

    private volatile boolean running = true;
    private volatile boolean pauseRequested;
    private volatile State state = State.STARTING;
    private volatile @Nullable String lastError;
    private long carefulUntil = -1;
    private long lastKafkaCommit;

    private static final Duration KAFKA_COMMIT_INTERVAL = Duration.ofSeconds(5);

    TargetReplicator(String name, ApplyProperties.Target target, ApplyProperties properties,
            ConsumerFactory<byte[], byte[]> consumers, String topic, MeterRegistry registry) {
        this.stats = new ApplyStats(name, registry);
        this.name = name;
        this.target = target;
        this.properties = properties;
        this.consumers = consumers;
        this.partition = new TopicPartition(topic, 0);
    }

    @Override
    public void run() {
        Duration backoff = properties.retry().initial();
        while (running) {
            long reached = -1;
            try (Connection c = connect();
                    Consumer<byte[], byte[]> consumer = consumers.createConsumer("apply-" + name, "apply-" + name)) {
                ApplySession session = new ApplySession(c, partition.topic(), partition.partition(),
                        properties.batch().spillChanges(), stats, properties.replicatedAtColumn());
                session.setAsideFailingTables(target.onError() == ApplyProperties.OnError.SET_ASIDE);
                ApplySession.Position position = session.open();
                consumer.assign(List.of(partition));
                if (position.nextOffset() >= 0) {
                    consumer.seek(partition, position.nextOffset());
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
                log.info("target {} resumes at offset {} (last commit LSN {})", name, position.nextOffset(),
                        position.lastCommitLsn());
                lastError = null;
                backoff = properties.retry().initial();
                boolean paused = false;
                while (running) {
                    if (paused && !pauseRequested) {
                        consumer.resume(List.of(partition));
                        paused = false;
                        log.info("target {} resumed", name);
                    }
                    state = paused ? State.PAUSED : State.RUNNING;
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(properties.pollTimeout());
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        reached = record.offset();
                        // past a permanent failure, up to where it happened: one source transaction at a time
                        boolean oneByOne = record.offset() <= carefulUntil;
                        session.careful(oneByOne && target.onError() == ApplyProperties.OnError.SET_ASIDE);
                        session.accept(record.offset(), record.timestamp(), record.value());
                        if (session.atBoundary() && (pauseRequested || (oneByOne && session.hasWork())
                                || session.pendingChanges() >= properties.batch().maxChanges())) {
                            commit(session, consumer);
                            if (pauseRequested) {
                                paused = pauseAtBoundary(session, consumer);
                                break;
                            }
                        }
                    }
                    if (session.atBoundary() && session.hasWork()) {
                        commit(session, consumer);
                    }
                    if (pauseRequested && !paused && session.atBoundary()) {
                        paused = pauseAtBoundary(session, consumer);
                    }
                    OptionalLong lag = consumer.currentLag(partition);
                    stats.caughtUp(!paused && lag.isPresent() && lag.getAsLong() == 0 && session.atBoundary()
                            && !session.hasWork());
                }
            } catch (SQLException | RuntimeException | Error e) {
                // an Error too: left to escape, it would end this thread and stall the target unseen
                stats.discardPending();
                stats.caughtUp(false);
                if (!running) {
                    break;
                }
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                if (e instanceof OutOfMemoryError oom) {
                    // the whole JVM is in doubt: shown as failed, and left to end the service for a restart
                    // (the services run with -XX:+ExitOnOutOfMemoryError)
                    state = State.RETRYING;
                    log.error("target {}: out of memory while applying", name, oom);
                    throw oom;
                }
                if (e instanceof Error) {
                    log.error("target {}: {} while applying; the target shows as failed and is tried again",
                            name, e, e);
                }
                boolean permanent = !SqlErrors.isRetriable(e) && e instanceof SQLException;
                if (permanent && reached > carefulUntil) {
                    carefulUntil = reached;
                    log.warn("target {}: a write failed for good ({}); applying again up to offset {} one source "
                            + "transaction at a time, {}", name, e.getMessage(), carefulUntil,
                            target.onError() == ApplyProperties.OnError.SET_ASIDE
                                    ? "setting aside the tables of the changes that fail"
                                    : "to stop right before the one that fails");
                    continue;
                }
                boolean stopped = permanent;
                if (stopped) {
                    lastError = "stopped: " + lastError + " (the target holds every source transaction before it, "
                            + "whole; it is tried again with back-off: fix the cause on the target, or configure "
                            + "on-error: set-aside to set such tables aside)";
                    log.error("target {}: {}", name, lastError);
                }
                state = State.RETRYING;
                if (!stopped) {
                    log.warn("target {} ({}): {}; trying again in {}", name, target, e.getMessage(), backoff);
                }
                if (!pause(backoff)) {
                    break;
                }
                backoff = min(backoff.multipliedBy(2), properties.retry().max());
            }
        }
        state = State.STOPPED;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", target.username());
        props.setProperty("password", target.password() == null ? "" : target.password());
        props.setProperty("ApplicationName", "bifrost-apply-" + name);
        props.setProperty("reWriteBatchedInserts", "true");
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(target.url(), props);
    }

    private void commit(ApplySession session, Consumer<byte[], byte[]> consumer) throws SQLException {
        session.commit();
        long now = System.nanoTime();
        if (now - lastKafkaCommit > KAFKA_COMMIT_INTERVAL.toNanos()) {
            // for monitoring tools only: the position that counts is the one stored in the target
            consumer.commitAsync(Map.of(partition, new OffsetAndMetadata(session.boundaryOffset())), null);
            lastKafkaCommit = now;
        }
    }

    /** Pauses at the committed boundary; records fetched past it are read again on resume. */
    private boolean pauseAtBoundary(ApplySession session, Consumer<byte[], byte[]> consumer) {
        consumer.seek(partition, Math.max(0, session.boundaryOffset()));
        consumer.pause(List.of(partition));
        log.info("target {} paused at offset {}", name, session.boundaryOffset());
        return true;
    }

    private boolean pause(Duration duration) {
        synchronized (this) {
            try {
                long until = System.nanoTime() + duration.toNanos();
                while (running && System.nanoTime() < until) {
                    wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops applying at the next transaction boundary, committing what was applied; the others go on. */
    public void pause() {
        pauseRequested = true;
    }

    public void resume() {
        pauseRequested = false;
    }

    public boolean pauseRequested() {
        return pauseRequested;
    }

    void stop() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }

    public String name() {
        return name;
    }

    public String consumerGroup() {
        return "apply-" + name;
    }

    public TopicPartition partition() {
        return partition;
    }

    public State state() {
        return state;
    }

    /** The last failure, cleared when the replicator runs again. */
    public @Nullable String lastError() {
        return lastError;
    }

    public ApplyStats stats() {
        return stats;
    }
}
