package dev.bifrost.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results: one table on stdout, the same as JSON in results.json. */
final class Report {

    private record Row(String phase, String key, String label, int decimals) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("snapshot", "rows", "rows", 0),
            new Row("snapshot", "seconds", "time until both targets hold them, from replication start (s)", 2),
            new Row("snapshot", "rows_per_s", "rows/s", 0),
            new Row("snapshot", "seconds_from_process_start", "  the same from launching capture-service (s)", 2),
            new Row("snapshot", "capture_engine_started_s", "capture engine started after launch (s)", 1),
            new Row("snapshot", "capture_up_s", "capture-service healthy after (s)", 1),
            new Row("snapshot", "apply_up_s", "apply-service healthy after (s)", 1),
            new Row("keep_up", "rows", "row changes", 0),
            new Row("keep_up", "seconds", "time until both targets equal the source (s)", 2),
            new Row("keep_up", "rows_per_s", "rows/s", 0),
            new Row("keep_up", "source_rows_per_s", "source write rate (rows/s)", 0),
            new Row("catch_up", "rows", "row changes", 0),
            new Row("catch_up", "seconds", "drain time after restart (s)", 2),
            new Row("catch_up", "rows_per_s", "rows/s", 0),
            new Row("catch_up", "source_rows_per_s", "source write rate (rows/s)", 0),
            new Row("catch_up", "capture_tail_s", "capture's tail after the last write (s)", 2),
            new Row("latency", "rows_per_s", "rate written (rows/s)", 0),
            new Row("latency", "p50_ms", "p50 (ms)", 1),
            new Row("latency", "p95_ms", "p95 (ms)", 1),
            new Row("latency", "p99_ms", "p99 (ms)", 1),
            new Row("latency", "max_ms", "max (ms)", 1),
            new Row("latency", "targets.mjolnir.p99_ms", "p99 mjolnir (ms)", 1),
            new Row("latency", "targets.stormbreaker.p99_ms", "p99 stormbreaker (ms)", 1),
            new Row("cost", "cpu_s", "CPU in the measured windows (s)", 1),
            new Row("cost", "phases.snapshot.cpu_s", "  of which snapshot, from launch (s)", 1),
            new Row("cost", "phases.keep_up.cpu_s", "  of which keep-up (s)", 1),
            new Row("cost", "phases.catch_up.cpu_s", "  of which catch-up, from the first write (s)", 1),
            new Row("cost", "phases.latency.cpu_s", "  of which latency, warm-up included (s)", 1),
            new Row("cost", "cpu_us_per_row", "CPU per row (us)", 1),
            new Row("cost", "capture_cpu_s", "capture-service CPU (s)", 1),
            new Row("cost", "apply_cpu_s", "apply-service CPU (s)", 1),
            new Row("cost", "kafka_cpu_s", "Kafka broker CPU (s)", 1),
            new Row("cost", "postgres_cpu_s", "PostgreSQL backends CPU (s)", 1),
            new Row("cost", "capture_peak_rss_mb", "capture-service peak RSS (MB)", 0),
            new Row("cost", "apply_peak_rss_mb", "apply-service peak RSS (MB)", 0));

    private Report() {
    }

    /** Adds {@code ratio} (Bifrost/native of the headline figure) to a phase's results. */
    static Map<String, Object> phase(Map<String, Object> bifrost, Map<String, Object> nativeFigures, String headline) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bifrost", bifrost);
        out.put("native", nativeFigures);
        out.put("ratio", ratio(value(bifrost, headline), value(nativeFigures, headline)));
        out.put("ratio_of", headline);
        return out;
    }

    static void print(Map<String, Object> results, PrintStream out) {
        String format = "%-9s %-46s %14s %14s %14s%n";
        out.println();
        out.printf(Locale.ROOT, "Bifrost vs native logical replication (BENCH_SCALE=%s); * = the phase's ratio%n",
                results.get("scale"));
        out.printf(Locale.ROOT, format, "phase", "figure", "bifrost", "native", "bifrost/native");
        out.println("-".repeat(9 + 1 + 46 + 3 * 15));
        for (Row row : ROWS) {
            @SuppressWarnings("unchecked")
            Map<String, Object> phase = (Map<String, Object>) results.get(row.phase());
            if (phase == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> bifrost = (Map<String, Object>) phase.get("bifrost");
            @SuppressWarnings("unchecked")
            Map<String, Object> nativeFigures = (Map<String, Object>) phase.get("native");
            Double b = value(bifrost, row.key());
            Double n = value(nativeFigures, row.key());
            if (b == null && n == null && !failed(bifrost) && !failed(nativeFigures)) {
                continue;
            }
            Double r = ratio(b, n);
            boolean headline = row.key().equals(phase.get("ratio_of"));
            out.printf(Locale.ROOT, format, row.phase(), row.label() + (headline ? " *" : ""),
                    cell(b, bifrost, row.decimals()), cell(n, nativeFigures, row.decimals()),
                    r == null ? "" : String.format(Locale.ROOT, "%.2f", r));
        }
        for (String system : List.of("bifrost", "native")) {
            for (String phase : List.of("snapshot", "keep_up", "catch_up", "latency")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) results.get(phase);
                @SuppressWarnings("unchecked")
                Map<String, Object> figures = p == null ? null : (Map<String, Object>) p.get(system);
                if (failed(figures)) {
                    out.println("FAILED " + phase + " / " + system + ": " + figures.get("error"));
                }
            }
        }
    }

    static void write(Map<String, Object> results, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), rounded(results));
    }

    /** Doubles to at most 4 decimals, so that results.json shows figures, not float noise. */
    private static Object rounded(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, rounded(v)));
            return out;
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return Math.round(d * 10_000) / 10_000.0;
        }
        return value;
    }

    private static boolean failed(Map<String, Object> figures) {
        return figures != null && figures.containsKey("error");
    }

    private static String cell(Double value, Map<String, Object> figures, int decimals) {
        if (value != null) {
            return String.format(Locale.ROOT, "%,." + decimals + "f", value);
        }
        return failed(figures) ? "FAILED" : "-";
    }

    /** The number at a dotted path ({@code targets.mjolnir.p99_ms}), or null. */
    @SuppressWarnings("unchecked")
    static Double value(Map<String, Object> figures, String path) {
        Object node = figures;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(part);
        }
        return node instanceof Number number ? number.doubleValue() : null;
    }

    private static Double ratio(Double bifrost, Double nativeValue) {
        if (bifrost == null || nativeValue == null || nativeValue == 0) {
            return null;
        }
        return bifrost / nativeValue;
    }
}
