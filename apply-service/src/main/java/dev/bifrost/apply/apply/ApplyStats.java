package dev.bifrost.apply.apply;

import dev.bifrost.model.RowChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one target's apply has done: the committed position, rows applied per table and operation, dead
 * letters, durations. Rows and latencies count only once their target transaction committed. Written by the
 * target's replicator thread, read by status and metrics.
 *
 * <p>Metrics: {@code bifrost.apply.rows} (counter; target, table, op), {@code bifrost.apply.dead.letters}
 * (counter; target), {@code bifrost.apply.batch.duration} (timer with histogram; target) for writing and
 * committing one target transaction, {@code bifrost.apply.transaction.latency} (timer with histogram;
 * target) from source commit to target commit of each source transaction.
 */
public final class ApplyStats {

    private final String target;
    private final MeterRegistry registry;
    private final Counter deadLetters;
    private final Timer batchDuration;
    private final Timer transactionLatency;
    private final Map<String, Counter> rowCounters = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> rows = new ConcurrentHashMap<>();

    private final Map<String, long[]> pendingRows = new HashMap<>();
    private final List<Long> pendingCommits = new ArrayList<>();
    private int pendingDeadLetters;

    private volatile long appliedOffset = -1;
    private volatile long appliedRecordTimestamp;
    private volatile long lastAppliedCommitMicros;
    private volatile boolean caughtUp;
    private volatile long caughtUpCheckedAt;

    public ApplyStats(String target, MeterRegistry registry) {
        this.target = target;
        this.registry = registry;
        this.deadLetters = Counter.builder("bifrost.apply.dead.letters").tag("target", target)
                .description("Changes sent to the dead-letter store").register(registry);
        this.batchDuration = Timer.builder("bifrost.apply.batch.duration").tag("target", target)
                .description("Time to write and commit one target transaction").publishPercentileHistogram()
                .register(registry);
        this.transactionLatency = Timer.builder("bifrost.apply.transaction.latency").tag("target", target)
                .description("Source commit to target commit, per source transaction").publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    void transaction(List<Change> applied, long commitMicros) {
        for (Change change : applied) {
            RowChange.Op op = change.change().op();
            pendingRows.computeIfAbsent(change.table().qualifiedName() + "\0" + op.name().toLowerCase(Locale.ROOT),
                    k -> new long[1])[0]++;
        }
        pendingCommits.add(commitMicros);
    }

    /** Snapshot rows loaded by COPY; they count as inserts. */
    void copied(String table, int rows) {
        pendingRows.computeIfAbsent(table + "\0insert", k -> new long[1])[0] += rows;
    }

    private final AtomicLong duplicates = new AtomicLong();

    void duplicate() {
        duplicates.incrementAndGet();
    }

    /** Source transactions found in the log again (after a capture restart) and discarded. */
    public long duplicates() {
        return duplicates.get();
    }

    void deadLetter() {
        pendingDeadLetters++;
    }

    /** The target transaction committed: what it held now counts. */
    void committed(long nextOffset, long recordTimestamp, long commitMicros, long durationNanos) {
        long nowMicros = System.currentTimeMillis() * 1000L;
        for (Map.Entry<String, long[]> entry : pendingRows.entrySet()) {
            String[] tableAndOp = entry.getKey().split("\0");
            rowCounters.computeIfAbsent(entry.getKey(), k -> Counter.builder("bifrost.apply.rows")
                    .tag("target", target).tag("table", tableAndOp[0]).tag("op", tableAndOp[1])
                    .description("Row changes applied").register(registry)).increment(entry.getValue()[0]);
            rows.computeIfAbsent(tableAndOp[0], k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(tableAndOp[1], k -> new AtomicLong()).addAndGet(entry.getValue()[0]);
        }
        for (long sourceCommit : pendingCommits) {
            if (sourceCommit > 0) {
                transactionLatency.record(Duration.ofNanos(Math.max(0, nowMicros - sourceCommit) * 1000L));
            }
        }
        deadLetters.increment(pendingDeadLetters);
        batchDuration.record(Duration.ofNanos(durationNanos));
        discardPending();
        appliedOffset = nextOffset;
        appliedRecordTimestamp = recordTimestamp;
        if (commitMicros > 0) {
            lastAppliedCommitMicros = commitMicros;
        }
    }

    /** The target transaction rolled back: nothing of it counts. */
    public void discardPending() {
        pendingRows.clear();
        pendingCommits.clear();
        pendingDeadLetters = 0;
    }

    /** Set by the replicator after each poll: whether everything in the log is applied and committed. */
    public void caughtUp(boolean caughtUp) {
        this.caughtUp = caughtUp;
        this.caughtUpCheckedAt = System.currentTimeMillis();
    }

    public boolean caughtUpWithin(Duration freshness) {
        return caughtUp && System.currentTimeMillis() - caughtUpCheckedAt <= freshness.toMillis();
    }

    /** The next log offset to apply, as committed in the target; -1 before the first commit. */
    public long appliedOffset() {
        return appliedOffset;
    }

    /** Kafka timestamp of the last record the committed position covers. */
    public long appliedRecordTimestamp() {
        return appliedRecordTimestamp;
    }

    public long lastAppliedCommitMicros() {
        return lastAppliedCommitMicros;
    }


    public double deadLettersSinceStart() {
        return deadLetters.count();
    }

    /** Rows applied since start, by table and operation. */
    public Map<String, Map<String, Long>> rowsApplied() {
        Map<String, Map<String, Long>> copy = new TreeMap<>();
        rows.forEach((table, ops) -> {
            Map<String, Long> byOp = new TreeMap<>();
            ops.forEach((op, n) -> byOp.put(op, n.get()));
            copy.put(table, byOp);
        });
        return copy;
    }
}
