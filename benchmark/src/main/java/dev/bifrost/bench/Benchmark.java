package dev.bifrost.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bifrost against PostgreSQL's native logical replication, in one run on the same local servers (started by
 * {@code deploy/local/bench.sh}): for each phase (snapshot, keep-up, catch-up, latency) Bifrost runs, then
 * native replication, never both at once; then the cost of each. Prints one table to stdout and writes the
 * same figures to {@code $BIFROST_HOME/bench/results.json}. Exits 1 if any phase failed.
 *
 * <p>Bifrost's services are child processes of this JVM; a shutdown hook stops any still running, so an
 * interrupted benchmark leaves no service behind.
 */
public final class Benchmark {

    private final Settings settings;

    private Benchmark(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(ServiceProcess::stopAll, "bench-shutdown"));
        int status;
        try {
            status = new Benchmark(Settings.fromEnvironment(System.getenv())).run();
        } catch (Exception e) {
            Log.info("benchmark aborted: " + e);
            e.printStackTrace();
            status = 2;
        } finally {
            ServiceProcess.stopAll();
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Databases db = new Databases(settings);
        Workload workload = new Workload(settings);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("scale", settings.scale());
        results.put("started_at", Instant.now().toString());
        results.put("cpus", Runtime.getRuntime().availableProcessors());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("snapshot_rows", workload.snapshotRows);
        counts.put("inserts", workload.inserts);
        counts.put("updates", workload.updates);
        counts.put("deletes", workload.deletes);
        counts.put("tx_rows", Workload.TX_ROWS);
        counts.put("warm_up_rows", workload.warmUpRows);
        counts.put("latency_rows_per_s", LatencyRun.RATE);
        counts.put("latency_tx_rows", LatencyRun.TX_ROWS);
        results.put("workload", counts);
        Log.info("scale " + settings.scale() + ": " + workload.snapshotRows + " snapshot rows; " + workload.inserts
                + " inserts, " + workload.updates + " updates, " + workload.deletes + " deletes per streaming phase");

        boolean failed = false;
        try (CostMeter cost = new CostMeter(db)) {
            cost.start();
            Long kafka = kafkaPid();
            if (kafka != null) {
                cost.track(kafka, "kafka");
            }
            CostLedger ledger = new CostLedger();
            BifrostReplicator bifrost = new BifrostReplicator(settings, db, cost);
            NativeReplicator nativeReplication = new NativeReplicator(settings, db);
            List<Replicator> systems = List.of(bifrost, nativeReplication);
            for (Replicator system : systems) {
                system.prepare();
            }
            Phases phases = new Phases(settings, db, workload, cost, ledger);
            for (Phase phase : settings.phases()) {
                Map<String, Object> b = phases.run(phase, bifrost);
                Map<String, Object> n = phases.run(phase, nativeReplication);
                failed |= b.containsKey("error") || n.containsKey("error");
                results.put(phase.key, Report.phase(b, n, phase.headline));
            }
            results.put("cost", Report.phase(ledger.figures("bifrost", bifrost.peakRss()),
                    ledger.figures("native", Map.of()), "cpu_s"));
        }
        results.put("finished_at", Instant.now().toString());
        Report.write(results, settings.resultsFile());
        Report.print(results, System.out);
        Log.info("results written to " + settings.resultsFile());
        return failed ? 1 : 0;
    }

    private Long kafkaPid() {
        Path file = settings.home().resolve("run").resolve("kafka.pid");
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (Exception e) {
            Log.info("no Kafka PID in " + file + "; the broker's CPU is not counted");
            return null;
        }
    }
}
