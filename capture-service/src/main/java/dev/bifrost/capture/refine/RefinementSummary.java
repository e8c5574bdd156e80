package dev.bifrost.capture.refine;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one refresh changed.
 *
 * @param tables per refined table (in refresh order): rows inserted, updated and deleted
 * @param millis how long the refresh took, commit included
 */
public record RefinementSummary(Map<String, Changes> tables, long millis) {

    /** Rows inserted, updated and deleted in one table. */
    public record Changes(long inserted, long updated, long deleted) {

        boolean none() {
            return inserted == 0 && updated == 0 && deleted == 0;
        }
    }

    /** Rows changed in all tables. */
    public long rowsChanged() {
        return tables.values().stream().mapToLong(c -> c.inserted() + c.updated() + c.deleted()).sum();
    }

    /** One line per changed table, for the command line. */
    public String describe() {
        String changed = tables.entrySet().stream().filter(e -> !e.getValue().none())
                .map(e -> String.format(Locale.ROOT, "  %-22s +%,d ~%,d -%,d", e.getKey(), e.getValue().inserted(),
                        e.getValue().updated(), e.getValue().deleted()))
                .collect(Collectors.joining("\n"));
        return String.format(Locale.ROOT, "refined in %.1f s: %s", millis / 1000.0,
                changed.isEmpty() ? "already up to date" : "inserted (+), updated (~), deleted (-)\n" + changed);
    }
}
