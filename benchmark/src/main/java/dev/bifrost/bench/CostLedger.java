package dev.bifrost.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds spent by each system in each phase's measured window, by process group, and the rows that window
 * replicated. Bifrost is charged for capture-service, apply-service, the Kafka broker and the PostgreSQL backends
 * that serve them (walsender, the snapshot's and the apply's connections); native replication for its
 * PostgreSQL processes (walsenders, apply and table-sync workers). The benchmark's own connections are not
 * counted for either.
 */
final class CostLedger {

    private record Entry(long rows, Map<String, Double> cpu) {
    }

    private final Map<String, Map<Phase, Entry>> entries = new LinkedHashMap<>();

    void add(String system, Phase phase, long rows, Map<String, Double> cpuByLabel) {
        Map<String, Double> charged = new LinkedHashMap<>();
        cpuByLabel.forEach((label, seconds) -> {
            if (system.equals("bifrost") || label.equals("postgres")) {
                charged.put(label, seconds);
            }
        });
        entries.computeIfAbsent(system, k -> new LinkedHashMap<>()).put(phase, new Entry(rows, charged));
    }

    /** The cost figures of one system: totals over the phases, per process group, and per phase. */
    Map<String, Object> figures(String system, Map<String, Long> peakRssBytes) {
        Map<Phase, Entry> phases = entries.getOrDefault(system, Map.of());
        if (phases.isEmpty()) {
            return Map.of("error", "no phase completed");
        }
        Map<String, Double> byLabel = new LinkedHashMap<>();
        long rows = 0;
        Map<String, Object> perPhase = new LinkedHashMap<>();
        for (Map.Entry<Phase, Entry> e : phases.entrySet()) {
            rows += e.getValue().rows();
            e.getValue().cpu().forEach((label, seconds) -> byLabel.merge(label, seconds, Double::sum));
            double total = e.getValue().cpu().values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("rows", e.getValue().rows());
            phase.put("cpu_s", total);
            e.getValue().cpu().forEach((label, seconds) -> phase.put(label + "_cpu_s", seconds));
            perPhase.put(e.getKey().key, phase);
        }
        double total = byLabel.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("cpu_s", total);
        out.put("cpu_us_per_row", rows == 0 ? 0.0 : total * 1e6 / rows);
        byLabel.forEach((label, seconds) -> out.put(label + "_cpu_s", seconds));
        peakRssBytes.forEach((service, bytes) -> out.put(service + "_peak_rss_mb", bytes / (1024.0 * 1024.0)));
        out.put("phases", perPhase);
        return out;
    }
}
