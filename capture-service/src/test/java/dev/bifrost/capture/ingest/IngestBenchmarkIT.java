package dev.bifrost.capture.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bifrost.capture.ThorDatabase;
import dev.bifrost.capture.refine.RefinementSummary;
import dev.bifrost.capture.refine.Refiner;
import dev.bifrost.testsupport.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestion benchmark: generates a registros file of {@code bifrost.bench.rows} rows (default one
 * million) in the published format, loads it into a fresh ThorDB and refines it, and prints the times and
 * rows per second. Skipped unless {@code -Dbifrost.bench=true}; run it with {@code deploy/local/bench-ingest.sh}.
 * It measures, it does not judge: no timing assertions.
 */
@EnabledIfSystemProperty(named = "bifrost.bench", matches = "true")
class IngestBenchmarkIT {

    @TempDir
    Path dir;

    @Test
    void loadAndRefineAMillionRows() throws Exception {
        int rows = Integer.getInteger("bifrost.bench.rows", 1_000_000);
        Path file = dir.resolve("registros-bench.csv");
        long generating = System.nanoTime();
        SinarmSamples.registros(file, rows, 2023, 42);
        report("generated %,d rows (%.1f MB) in %.1f s", rows, Files.size(file) / 1e6, seconds(generating));

        try (PostgresServer postgres = PostgresServer.start("bench")) {
            ThorDatabase thordb = ThorDatabase.create(postgres);
            Loader loader = new Loader(thordb.dataSource());
            Refiner refiner = new Refiner(thordb.dataSource());

            Ingestion ingestion = Ingestion.start(Dataset.REGISTROS, file.getFileName().toString());
            long start = System.nanoTime();
            loader.load(ingestion, file, false);
            double load = seconds(start);
            long refining = System.nanoTime();
            RefinementSummary summary = refiner.refine();
            double refine = seconds(refining);
            double total = seconds(start);

            assertThat(thordb.count("SELECT count(*) FROM refined.fat_registros")).isEqualTo(rows);
            report("load (checksum, parse, clean, COPY, commit): %.1f s, %,.0f rows/s", load, rows / load);
            report("refine (dimensions, %,d facts): %.1f s", summary.tables().get("fat_registros").inserted(),
                    refine);
            report("BENCHMARK %,d rows loaded and refined in %.1f s: %,.0f rows/s", rows, total, rows / total);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void report(String format, Object... args) {
        System.out.println("[ingest-benchmark] " + String.format(Locale.ROOT, format, args));
    }
}
