package dev.bifrost.capture.status;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.capture.engine.CaptureEngine;
import dev.bifrost.capture.publish.CaptureStats;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The capture side's status, from memory and the background readings: answers fast under load. */
@RestController
class CaptureStatusController {

    private final CaptureEngine engine;
    private final CaptureStats stats;
    private final SourceMonitor monitor;
    private final CaptureProperties properties;

    CaptureStatusController(CaptureEngine engine, CaptureStats stats, SourceMonitor monitor,
            CaptureProperties properties) {
        this.engine = engine;
        this.stats = stats;
        this.monitor = monitor;
        this.properties = properties;
    }

    @GetMapping("/api/status")
    @Operation(summary = "Engine state, snapshot progress, slot position and retained WAL, events captured")
    CaptureStatus status() {
        SourceMonitor.Slot slot = monitor.slot();
        String state = switch (engine.state()) {
            case RUNNING -> stats.snapshotting() ? "snapshotting" : "streaming";
            case STARTING -> "starting";
            case FAILED -> "failed";
            case STOPPED -> "stopped";
        };
        List<CaptureStatus.TableProgress> progress = new ArrayList<>();
        Map<String, Long> done = stats.snapshotRows();
        Map<String, Long> estimated = monitor.estimates();
        TreeSet<String> tables = new TreeSet<>(done.keySet());
        tables.addAll(estimated.keySet());
        for (String table : tables) {
            progress.add(new CaptureStatus.TableProgress(table, done.getOrDefault(table, 0L),
                    Math.max(estimated.getOrDefault(table, 0L), done.getOrDefault(table, 0L))));
        }
        long lsn = stats.lastCommitLsn();
        return new CaptureStatus(state, engine.state() == CaptureEngine.State.FAILED ? engine.lastError() : null,
                progress, new CaptureStatus.SlotStatus(properties.slotName(), slot.exists(), slot.active(),
                        slot.confirmedFlushLsn(), slot.currentWalLsn(), slot.retainedWalBytes(), slot.error()),
                lsn == 0 ? null : String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL), stats.lastCommitTime(),
                stats.events(), stats.eventsPerSecondLastMinute(), stats.skippedMessages());
    }
}
