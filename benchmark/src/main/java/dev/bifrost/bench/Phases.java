package dev.bifrost.bench;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one phase for one system, from a clean start: the system is reset (its own slot, publication or
 * subscriptions dropped, its targets emptied), the source table truncated, the phase measured, and the system
 * torn down again whatever happens. Figures are plain maps, ready for the table and for results.json.
 */
final class Phases {

    private final Settings settings;
    private final Databases db;
    private final Workload workload;
    private final CostMeter cost;
    private final Convergence convergence;
    private final CostLedger ledger;

    Phases(Settings settings, Databases db, Workload workload, CostMeter cost, CostLedger ledger) {
        this.settings = settings;
        this.db = db;
        this.workload = workload;
        this.cost = cost;
        this.convergence = new Convergence(db);
        this.ledger = ledger;
    }

    /** The phase's figures for {@code system}, or {@code {"error": ...}} if it failed. */
    Map<String, Object> run(Phase phase, Replicator system) {
        Log.info("===== " + phase.key + " / " + system.name() + " =====");
        try {
            system.reset(phase.key);
            db.execute(db.source(), "TRUNCATE raw.registros");
            // every phase starts from flushed servers: a checkpoint owed by the phase before would otherwise
            // land in this one's measurement, for whichever system runs then
            for (Target server : db.servers()) {
                db.execute(server, "CHECKPOINT");
            }
            return switch (phase) {
                case SNAPSHOT -> snapshot(system);
                case KEEP_UP -> keepUp(system);
                case CATCH_UP -> catchUp(system);
                case LATENCY -> latency(system);
            };
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Log.info(phase.key + " / " + system.name() + " FAILED: " + e);
            e.printStackTrace();
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("error", String.valueOf(e.getMessage()));
            return failed;
        } finally {
            try {
                system.teardown();
            } catch (Exception e) {
                Log.info("tearing down " + system.name() + " after " + phase.key + " failed: " + e);
            }
        }
    }

    /**
     * Pre-existing rows, then replication set up with the target side already running (Bifrost: apply-service
     * up, then capture-service started; native: CREATE SUBSCRIPTION): time until both targets hold them all,
     * counted for Bifrost from its capture engine's start (its JVM and Spring start before that are reported
     * as {@code seconds_from_process_start}).
     */
    private Map<String, Object> snapshot(Replicator system) throws Exception {
        long rows = workload.snapshotRows;
        Log.info("loading " + rows + " rows into thordb raw.registros");
        try (Connection c = db.connect(db.source())) {
            workload.load(c, rows);
        }
        CostMeter.Mark before = cost.mark();
        system.startTargetSide();
        long start = System.nanoTime();
        system.start();
        long end = convergence.awaitRow(system.targets(), rows, true, settings.timeout(240, 900),
                "the last of " + rows + " rows");
        CostMeter.Mark after = cost.mark();
        Map<String, Object> out = timed(rows, start, verified(system, end));
        out.putAll(system.startFigures(start));
        if (out.get("capture_engine_started_s") instanceof Double engine) {
            // the moment replication is set up, as CREATE SUBSCRIPTION is for native: the headline counts from
            // there; the time from launching the JVM is kept beside it
            double total = (Double) out.get("seconds");
            out.put("seconds_from_process_start", total);
            out.put("seconds", total - engine);
            out.put("rows_per_s", rows / (total - engine));
        }
        ledger.add(system.name(), Phase.SNAPSHOT, rows, CostMeter.cpuSeconds(before, after));
        return out;
    }

    /** Changes written as fast as the source takes them while the system streams. */
    private Map<String, Object> keepUp(Replicator system) throws Exception {
        startLive(system);
        CostMeter.Mark before = cost.mark();
        long start = System.nanoTime();
        long written = writeChangesAndSentinel();
        long end = awaitSentinel(system);
        CostMeter.Mark after = cost.mark();
        Map<String, Object> out = timed(workload.changes(), start, verified(system, end));
        out.put("source_seconds", Wait.seconds(start, written));
        out.put("source_rows_per_s", workload.changes() / Wait.seconds(start, written));
        ledger.add(system.name(), Phase.KEEP_UP, workload.changes(), CostMeter.cpuSeconds(before, after));
        return out;
    }

    /**
     * The same changes written while the apply side is stopped; timed from its restart. For Bifrost the capture
     * keeps running and the restart waits until Kafka holds every change (so the time is the drain of the
     * backlog, not of the capture's tail); native replication decodes nothing while disabled, so its time
     * includes decoding. The cost covers everything from the first write.
     */
    private Map<String, Object> catchUp(Replicator system) throws Exception {
        startLive(system);
        system.pauseApply();
        long baseline = system.capturedChanges();
        CostMeter.Mark before = cost.mark();
        long writeStart = System.nanoTime();
        long written = writeChangesAndSentinel();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("source_rows_per_s", workload.changes() / Wait.seconds(writeStart, written));
        if (baseline >= 0) {
            long expected = baseline + workload.changes() + 1;
            long captured = Wait.until("capture-service to publish all " + (expected - baseline) + " changes",
                    settings.timeout(120, 900), Duration.ofMillis(100), () -> {
                        long now = system.capturedChanges();
                        return now >= expected ? null : (now - baseline) + " of " + (expected - baseline) + " published";
                    });
            extra.put("capture_tail_s", Wait.seconds(written, captured));
        }
        long start = System.nanoTime();
        system.resumeApply();
        long end = awaitSentinel(system);
        CostMeter.Mark after = cost.mark();
        Map<String, Object> out = timed(workload.changes(), start, verified(system, end));
        out.putAll(extra);
        ledger.add(system.name(), Phase.CATCH_UP, workload.changes(), CostMeter.cpuSeconds(before, after));
        return out;
    }

    /** A steady 2,000 rows/s: commit-to-visible latency on each target. */
    private Map<String, Object> latency(Replicator system) throws Exception {
        startLive(system);
        double measured = Math.max(5, 60 * settings.scale());
        LatencyRun run = new LatencyRun(db, system.targets(), 10, measured);
        CostMeter.Mark before = cost.mark();
        Map<String, Object> out = run.run(settings.timeout(60, 120));
        CostMeter.Mark after = cost.mark();
        verified(system, System.nanoTime());
        ledger.add(system.name(), Phase.LATENCY, run.rowsWritten(), CostMeter.cpuSeconds(before, after));
        return out;
    }

    /** Starts the system on the empty table and proves it streams: a probe row appears and disappears. */
    private void startLive(Replicator system) throws Exception {
        system.start();
        system.awaitReady();
        try (Connection c = db.connect(db.source())) {
            Log.info("warming up with " + workload.warmUpRows + " rows inserted, updated and deleted");
            Workload.warmUp(c, workload.warmUpRows);
            // committed after the warm-up: once the probe arrives, so has the warm-up
            Workload.insertRow(c, Workload.PROBE_ID);
            convergence.awaitRow(system.targets(), Workload.PROBE_ID, true, settings.timeout(120, 0), "the probe row");
            Workload.deleteRow(c, Workload.PROBE_ID);
            convergence.awaitRow(system.targets(), Workload.PROBE_ID, false, settings.timeout(120, 0),
                    "the probe row deleted");
        }
    }

    private long writeChangesAndSentinel() throws Exception {
        Log.info("writing " + workload.inserts + " inserts, " + workload.updates + " updates, " + workload.deletes
                + " deletes in transactions of " + Workload.TX_ROWS + " rows");
        try (Connection c = db.connect(db.source())) {
            long written = workload.writeChanges(c);
            Workload.insertRow(c, Workload.SENTINEL_ID);
            return written;
        }
    }

    private long awaitSentinel(Replicator system) throws Exception {
        return convergence.awaitRow(system.targets(), Workload.SENTINEL_ID, true, settings.timeout(180, 900),
                "the sentinel row (committed last)");
    }

    /** The end time, pushed later if the checksums matched only after the marker row arrived. */
    private long verified(Replicator system, long end) throws Exception {
        Long late = convergence.verify(system.targets(), settings.timeout(120, 600));
        return late == null ? end : Math.max(end, late);
    }

    private static Map<String, Object> timed(long rows, long start, long end) {
        Map<String, Object> out = new LinkedHashMap<>();
        double seconds = Wait.seconds(start, end);
        out.put("rows", rows);
        out.put("seconds", seconds);
        out.put("rows_per_s", rows / seconds);
        out.put("checksum", "equal");
        return out;
    }
}
