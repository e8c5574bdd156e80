package dev.bifrost.capture.status;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.capture.publish.CaptureStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads the replication slot's position and, during the snapshot, the row estimates of the published tables
 * from ThorDB in the background, so that status calls never query. Exports
 * {@code bifrost.capture.slot.retained.wal.bytes}: WAL the slot holds back, between its confirmed flush
 * position and the current WAL position.
 */
@Component
class SourceMonitor {

    private static final String SLOT = """
            SELECT active, confirmed_flush_lsn::text, pg_current_wal_lsn()::text,
                   coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint
            FROM pg_replication_slots WHERE slot_name = ?""";

    private static final String ESTIMATES = """
            SELECT t.schemaname || '.' || t.tablename, greatest(c.reltuples, 0)::bigint
            FROM pg_publication_tables t
            JOIN pg_namespace n ON n.nspname = t.schemaname
            JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
            WHERE t.pubname = ?""";

    /** The slot as last read; {@code error} when ThorDB could not be asked. */
    record Slot(boolean exists, boolean active, @Nullable String confirmedFlushLsn, @Nullable String currentWalLsn,
            long retainedWalBytes, @Nullable String error) {
    }

    private final JdbcTemplate jdbc;
    private final CaptureProperties properties;
    private final CaptureStats stats;
    private volatile Slot slot = new Slot(false, false, null, null, 0, "not read yet");
    private volatile Map<String, Long> estimates = Map.of();

    SourceMonitor(JdbcTemplate jdbc, CaptureProperties properties, CaptureStats stats, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.stats = stats;
        Gauge.builder("bifrost.capture.slot.retained.wal.bytes", () -> slot.retainedWalBytes())
                .description("WAL retained by the replication slot, in bytes").register(registry);
    }

    @Scheduled(fixedDelayString = "${bifrost.capture.status-refresh:2s}")
    void refresh() {
        try {
            slot = jdbc.query(SLOT, rs -> rs.next()
                    ? new Slot(true, rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getLong(4), null)
                    : new Slot(false, false, null, null, 0, null), properties.slotName());
            if (!stats.snapshotDone() || estimates.isEmpty()) {
                Map<String, Long> read = new HashMap<>();
                jdbc.query(ESTIMATES, rs -> {
                    read.put(rs.getString(1), rs.getLong(2));
                }, properties.publicationName());
                estimates = read;
            }
        } catch (RuntimeException e) {
            slot = new Slot(slot.exists(), slot.active(), slot.confirmedFlushLsn(), slot.currentWalLsn(),
                    slot.retainedWalBytes(), "cannot read the slot from ThorDB: " + e.getMessage());
        }
    }

    Slot slot() {
        return slot;
    }

    Map<String, Long> estimates() {
        return estimates;
    }
}
