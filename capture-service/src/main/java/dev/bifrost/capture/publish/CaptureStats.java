package dev.bifrost.capture.publish;

import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the capture has published and Kafka acknowledged: events per table and operation (metric
 * {@code bifrost.capture.events}, tags table and op; op is insert, update, delete, truncate or snapshot),
 * the last captured commit, snapshot progress, and a one-minute rate. Thread-safe.
 */
@Component
public class CaptureStats {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> events = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> snapshotRows = new ConcurrentHashMap<>();
    private final AtomicLongArray perSecond = new AtomicLongArray(60);
    private final AtomicLongArray secondOf = new AtomicLongArray(60);

    private final AtomicLong skippedMessages = new AtomicLong();
    private final Counter skippedCounter;
    private volatile boolean snapshotting;
    private volatile boolean snapshotDone;
    private volatile long lastCommitLsn;
    private volatile long lastCommitMicros;

    CaptureStats(MeterRegistry registry) {
        this.registry = registry;
        // registered at start, so that a scrape shows 0 rather than nothing
        this.skippedCounter = Counter.builder("bifrost.capture.messages.skipped")
                .description("logical-decoding messages of other applications, skipped").register(registry);
    }

    /** A logical-decoding message of another application, which the capture skips. */
    void skippedMessage() {
        skippedMessages.incrementAndGet();
        skippedCounter.increment();
    }

    /** Logical-decoding messages of other applications skipped since start. */
    public long skippedMessages() {
        return skippedMessages.get();
    }

    /** A chunk Kafka acknowledged. */
    void acknowledged(ChangelogRecord record) {
        boolean snapshot = record.kind() == ChangelogRecord.Kind.SNAPSHOT;
        if (snapshot) {
            snapshotting = !record.last();
            snapshotDone |= record.last();
        }
        for (RowChange change : record.changes()) {
            TableSchema table = record.tables().get(change.table());
            String op = snapshot ? "snapshot" : change.op().name().toLowerCase(Locale.ROOT);
            String name = table.qualifiedName();
            counted(name, op, 1);
        }
        count(record.changes().size());
        if (record.last() && record.kind() == ChangelogRecord.Kind.TRANSACTION) {
            lastCommitLsn = record.commitLsn();
            lastCommitMicros = record.commitTimeMicros();
        }
    }

    /** The initial snapshot began: rows copied from now on count as its progress. */
    void snapshotStarted() {
        snapshotting = true;
        snapshotDone = false;
        snapshotRows.clear();
    }

    /** Kafka acknowledged {@code rows} snapshot rows of {@code table}. */
    void snapshotCopied(String table, int rows) {
        counted(table, "snapshot", rows);
        count(rows);
    }

    /** The initial snapshot is in Kafka, whole. */
    void snapshotFinished(long consistentLsn, long micros) {
        snapshotting = false;
        snapshotDone = true;
        lastCommitLsn = consistentLsn;
        lastCommitMicros = micros;
    }

    private void counted(String table, String op, int n) {
        counters.computeIfAbsent(table + "\0" + op, k -> Counter.builder("bifrost.capture.events")
                .tag("table", table).tag("op", op).description("Change events captured and acknowledged by Kafka")
                .register(registry)).increment(n);
        events.computeIfAbsent(table, k -> new ConcurrentHashMap<>()).computeIfAbsent(op, k -> new AtomicLong())
                .addAndGet(n);
        if ("snapshot".equals(op)) {
            snapshotRows.computeIfAbsent(table, k -> new AtomicLong()).addAndGet(n);
        }
    }

    private void count(int n) {
        long second = System.currentTimeMillis() / 1000;
        int slot = (int) (second % 60);
        if (secondOf.getAndSet(slot, second) != second) {
            perSecond.set(slot, 0);
        }
        perSecond.addAndGet(slot, n);
    }

    /** Events per second over the last full minute. */
    public double eventsPerSecondLastMinute() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        for (int i = 0; i < 60; i++) {
            long second = secondOf.get(i);
            if (second < now && now - second <= 60) {
                sum += perSecond.get(i);
            }
        }
        return sum / 60.0;
    }

    public boolean snapshotting() {
        return snapshotting;
    }

    public boolean snapshotDone() {
        return snapshotDone;
    }

    /** Rows snapshotted so far, per table. */
    public Map<String, Long> snapshotRows() {
        Map<String, Long> copy = new TreeMap<>();
        snapshotRows.forEach((table, n) -> copy.put(table, n.get()));
        return copy;
    }

    /** Events captured since start, by table and operation. */
    public Map<String, Map<String, Long>> events() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        events.forEach((table, ops) -> {
            Map<String, Long> byOp = new TreeMap<>();
            ops.forEach((op, n) -> byOp.put(op, n.get()));
            copy.put(table, byOp);
        });
        return copy;
    }

    public long lastCommitLsn() {
        return lastCommitLsn;
    }

    public @Nullable Instant lastCommitTime() {
        long micros = lastCommitMicros;
        return micros == 0 ? null : Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }
}
