package dev.bifrost.capture.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The capture side as an operator sees it.
 *
 * @param state               snapshotting, streaming, starting, failed or stopped
 * @param reason              why it failed, when it did
 * @param snapshot            per-table snapshot progress (rows done of rows estimated)
 * @param slot                the replication slot and the WAL it retains
 * @param lastCommitLsn       commit LSN of the last transaction Kafka acknowledged
 * @param lastCommitTime      its source commit time
 * @param eventsCaptured      events captured since start, by table and operation
 * @param eventsPerSecond     events per second over the last minute
 * @param messagesSkipped     logical-decoding messages of other applications skipped since start
 */
public record CaptureStatus(
        String state,
        @Nullable String reason,
        List<TableProgress> snapshot,
        SlotStatus slot,
        @Nullable String lastCommitLsn,
        @Nullable Instant lastCommitTime,
        Map<String, Map<String, Long>> eventsCaptured,
        double eventsPerSecond,
        long messagesSkipped) {

    /** Snapshot progress of one table. */
    public record TableProgress(String table, long rowsDone, long rowsEstimated) {
    }

    /** The slot: confirmed flush position, current WAL position, and the WAL retained between them. */
    public record SlotStatus(String name, boolean exists, boolean active, @Nullable String confirmedFlushLsn,
            @Nullable String currentWalLsn, long retainedWalBytes, @Nullable String error) {
    }
}
