package dev.bifrost.apply.apply;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** What one target's apply has done, read by status and metrics. Thread-safe. */
public final class ApplyStats {

    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile long lastAppliedCommitMicros;
    private volatile long lastHeartbeatMicros;

    void transaction(List<Change> applied) {
        transactions.incrementAndGet();
        changes.addAndGet(applied.size());
    }

    void spilled(List<Change> applied) {
        changes.addAndGet(applied.size());
    }

    void duplicate() {
        duplicates.incrementAndGet();
    }

    void deadLetter() {
        deadLetters.incrementAndGet();
    }

    void heartbeat(long micros) {
        lastHeartbeatMicros = micros;
    }

    void committed(long commitMicros) {
        lastAppliedCommitMicros = commitMicros;
    }

    public long transactions() {
        return transactions.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    public long changes() {
        return changes.get();
    }

    public long lastAppliedCommitMicros() {
        return lastAppliedCommitMicros;
    }

    public long lastHeartbeatMicros() {
        return lastHeartbeatMicros;
    }

}
