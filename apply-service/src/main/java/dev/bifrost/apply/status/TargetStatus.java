package dev.bifrost.apply.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One target as an operator sees it.
 *
 * @param name            the target's configured name
 * @param state           running, catching_up, paused, failed, starting or stopped
 * @param reason          why the state is not running, if known
 * @param consumerGroup   the target's Kafka consumer group
 * @param partitions      per changelog partition: log end, applied position, lag in messages
 * @param lagMessages     changelog records not yet applied
 * @param lagSeconds      source time between the newest record in the changelog and the newest applied one;
 *                        0 when everything is applied (heartbeats keep this exact while the source is idle)
 * @param lastAppliedCommitTime source commit time of the last applied transaction
 * @param databaseReachable whether the target database answered the last probe
 * @param rowsApplied     row changes applied since start, by table and operation
 * @param deadLetters     changes in the target's dead-letter store
 * @param duplicatesDiscarded source transactions that arrived twice and were discarded, since start
 * @param lastError       the last failure, until the target runs again
 */
public record TargetStatus(
        String name,
        String state,
        @Nullable String reason,
        String consumerGroup,
        List<PartitionStatus> partitions,
        long lagMessages,
        double lagSeconds,
        @Nullable Instant lastAppliedCommitTime,
        boolean databaseReachable,
        Map<String, Map<String, Long>> rowsApplied,
        long deadLetters,
        long duplicatesDiscarded,
        @Nullable String lastError) {

    /** One changelog partition: where the log ends, what the target applied, and the difference. */
    public record PartitionStatus(String topic, int partition, long logEndOffset, long appliedOffset,
            long lagMessages) {
    }
}
