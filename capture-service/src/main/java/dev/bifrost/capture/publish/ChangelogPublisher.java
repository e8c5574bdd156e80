package dev.bifrost.capture.publish;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.SchemaChange;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes Debezium's records to the changelog topic, commit-after-ack.
 *
 * <p>Each batch from the engine is assembled into chunks and sent asynchronously (idempotent producer,
 * {@code acks=all}); then every send is awaited in order, and only then are the records that close a
 * transaction marked processed. Debezium flushes marked offsets to ThorDB and confirms them to the slot, so
 * PostgreSQL frees WAL only for transactions Kafka holds. A crash or a failed send replays from the last
 * marked transaction: the log may then hold a transaction twice, which the apply side discards by its
 * commit LSN. Not thread-safe: the engine calls it from one thread. One instance per engine run.
 */
public final class ChangelogPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    static final Duration ACK_TIMEOUT = Duration.ofMinutes(3);

    private final ChangelogSender sender;
    private final TransactionAssembler assembler;
    private final ShapeHistory history;
    private final CaptureStats stats;

    private record Pending(@Nullable ChangelogRecord record,
            @Nullable CompletableFuture<SendResult<byte[], byte[]>> ack,
            @Nullable RecordChangeEvent<SourceRecord> commitPoint, List<SchemaChange> shapes) {
    }

    ChangelogPublisher(ChangelogSender sender, SourceCatalog catalog, ShapeHistory history, CaptureStats stats,
            CaptureProperties properties) {
        this.stats = stats;
        this.sender = sender;
        this.assembler = new TransactionAssembler(new TableShapes(catalog, history, properties.schemas()), stats,
                properties.topicPrefix(), properties.chunk().maxChanges(), properties.chunk().maxBytes());
        this.history = history;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Pending> pending = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> event : events) {
            for (TransactionAssembler.Outgoing outgoing : assembler.accept(event.record())) {
                pending.add(new Pending(outgoing.record(), outgoing.record() == null ? null : sender.send(outgoing.record()),
                        outgoing.commitPoint() ? event : null, outgoing.shapes()));
            }
        }
        if (pending.isEmpty()) {
            committer.markBatchFinished();
            return;
        }
        sender.flush();
        for (Pending p : pending) {
            if (p.ack() != null) {
                awaitAck(p.ack(), sender.topic());
                stats.acknowledged(p.record());
            }
            if (!p.shapes().isEmpty()) {
                // before the offset may pass this transaction: a restart behind it finds the shapes it made
                history.record(p.shapes(), p.record().commitLsn());
            }
            if (p.commitPoint() != null) {
                committer.markProcessed(p.commitPoint());
            }
        }
        committer.markBatchFinished();
    }

    static void awaitAck(CompletableFuture<SendResult<byte[], byte[]>> ack, String topic) throws InterruptedException {
        try {
            ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge a changelog record on " + topic
                    + "; the engine restarts from the last acknowledged transaction", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("no acknowledgement from Kafka for " + topic + " within "
                    + ACK_TIMEOUT + "; the engine restarts from the last acknowledged transaction", e);
        }
    }

    /** Kafka could not take the changelog: nothing after the last acknowledged transaction was committed. */
    static final class KafkaUnavailableException extends RuntimeException {
        KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
