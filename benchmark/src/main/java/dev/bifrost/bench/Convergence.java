package dev.bifrost.bench;

import dev.bifrost.testsupport.TableChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When the targets hold what the source holds. Timing uses a marker row, which costs one primary-key lookup per
 * target every {@value #POLL_MS} ms, so the poll neither loads the servers nor blurs the time; content is then
 * verified by an ordered checksum of the whole table ({@link TableChecksum}), outside the timed part.
 */
final class Convergence {

    static final long POLL_MS = 10;

    private static final String SCHEMA = "raw";
    private static final String TABLE = "registros";

    private final Databases db;

    Convergence(Databases db) {
        this.db = db;
    }

    /**
     * Waits until row {@code id} of {@code raw.registros} is present (or absent) on every target and returns the
     * {@link System#nanoTime()} of the check at which the last target showed it. A missing table counts as "not
     * yet" (Bifrost creates its target tables when the first change arrives).
     */
    long awaitRow(List<Target> targets, long id, boolean present, Duration timeout, String what) throws Exception {
        Map<Target, Connection> connections = new LinkedHashMap<>();
        Map<Target, Long> seenAt = new HashMap<>();
        try {
            for (Target target : targets) {
                connections.put(target, db.connect(target));
            }
            Wait.until(what + " on " + targets, timeout, Duration.ofMillis(POLL_MS), () -> {
                List<String> missing = new ArrayList<>();
                for (Map.Entry<Target, Connection> entry : connections.entrySet()) {
                    if (seenAt.containsKey(entry.getKey())) {
                        continue;
                    }
                    String state = rowState(entry.getValue(), id);
                    if (state.equals(present ? "present" : "absent")) {
                        seenAt.put(entry.getKey(), System.nanoTime());
                    } else {
                        missing.add(entry.getKey() + ": row " + id + " " + state);
                    }
                }
                return missing.isEmpty() ? null : String.join("; ", missing);
            });
        } finally {
            for (Connection c : connections.values()) {
                c.close();
            }
        }
        return seenAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static String rowState(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM raw.registros WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "present" : "absent";
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return "absent (no table raw.registros yet)";
            }
            throw e;
        }
    }

    /**
     * Compares every target's checksum of {@code raw.registros} with the source's (source columns only, in
     * primary-key order). Returns null when all are equal; otherwise waits, checking every few seconds, until
     * they are (then returns the nanoTime when they were), or throws when {@code timeout} passes.
     */
    Long verify(List<Target> targets, Duration timeout) throws Exception {
        String expected;
        List<String> columns;
        List<String> key;
        try (Connection source = db.connect(db.source())) {
            columns = TableChecksum.columns(source, SCHEMA, TABLE);
            key = TableChecksum.primaryKey(source, SCHEMA, TABLE);
            expected = TableChecksum.checksum(source, SCHEMA, TABLE, columns, key);
        }
        String first = differences(targets, expected, columns, key);
        if (first == null) {
            Log.info("checksums equal on " + targets + " (" + expected + ")");
            return null;
        }
        Log.info("checksums differ after the marker row arrived: " + first);
        for (Target target : targets) {
            String rows = differingRows(target, columns);
            if (rows != null) {
                Log.info(target + " differs from the source: " + rows);
            }
        }
        long at = Wait.until("checksums equal to the source's " + expected, timeout, Duration.ofSeconds(2),
                () -> differences(targets, expected, columns, key));
        return at;
    }

    /**
     * The first few rows that differ between the source and {@code target}, both sides shown; null if none.
     * Walks both tables in {@code id} order side by side (raw.registros is keyed by a bigint id).
     */
    private String differingRows(Target target, List<String> columns) throws SQLException {
        String sql = "SELECT id, row(" + String.join(", ", columns.stream().map(TableChecksum::quote).toList())
                + ")::text FROM raw.registros ORDER BY id";
        List<String> examples = new ArrayList<>();
        long differing = 0;
        try (Connection sc = db.connect(db.source()); Connection tc = db.connect(target)) {
            sc.setAutoCommit(false); // so that fetchSize streams instead of reading everything
            tc.setAutoCommit(false);
            try (Statement ss = sc.createStatement(); Statement ts = tc.createStatement()) {
                ss.setFetchSize(10_000);
                ts.setFetchSize(10_000);
                try (ResultSet src = ss.executeQuery(sql); ResultSet tgt = ts.executeQuery(sql)) {
                    boolean hasSrc = src.next();
                    boolean hasTgt = tgt.next();
                    while (hasSrc || hasTgt) {
                        long cmp = !hasSrc ? 1 : !hasTgt ? -1 : Long.compare(src.getLong(1), tgt.getLong(1));
                        String example = null;
                        if (cmp < 0) {
                            example = "id " + src.getLong(1) + ": source " + src.getString(2) + ", target has none";
                        } else if (cmp > 0) {
                            example = "id " + tgt.getLong(1) + ": source has none, target " + tgt.getString(2);
                        } else if (!src.getString(2).equals(tgt.getString(2))) {
                            example = "id " + src.getLong(1) + ": source " + src.getString(2) + ", target "
                                    + tgt.getString(2);
                        }
                        if (example != null && differing++ < 3) {
                            examples.add(example);
                        }
                        if (cmp <= 0) {
                            hasSrc = src.next();
                        }
                        if (cmp >= 0) {
                            hasTgt = tgt.next();
                        }
                    }
                }
            }
        }
        return differing == 0 ? null : differing + " rows differ, e.g. " + String.join("; ", examples);
    }

    private String differences(List<Target> targets, String expected, List<String> columns, List<String> key)
            throws SQLException {
        List<String> differences = new ArrayList<>();
        for (Target target : targets) {
            try (Connection c = db.connect(target)) {
                String actual = TableChecksum.checksum(c, SCHEMA, TABLE, columns, key);
                if (!actual.equals(expected)) {
                    differences.add(target + " has " + actual);
                }
            }
        }
        return differences.isEmpty() ? null : String.join("; ", differences);
    }
}
