package dev.bifrost.apply.apply;

import dev.bifrost.apply.schema.TargetTables;
import dev.bifrost.model.Column;
import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The SQL that writes coalesced changes: per table, a TRUNCATE if one happened, one batched DELETE, and one
 * multi-row upsert per set of carried columns. Rows travel as one {@code text[]} parameter per column and
 * are unnested and cast to the column types on the server: one round trip per table and statement, however
 * many rows. Identifiers are quoted; values are always bound.
 */
final class TableWriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TableWriter.class);

    /** Below this many new rows, one upsert statement costs less than a COPY under a savepoint. */
    static final int MIN_COPY_ROWS = 64;

    private final Map<String, String> sqlCache = new HashMap<>();
    private final TargetTables targetTables;
    private final KeylessWriter keyless;

    TableWriter(TargetTables targetTables) {
        this.targetTables = targetTables;
        this.keyless = new KeylessWriter(targetTables);
    }

    /**
     * Writes everything in the buffer, creating or evolving each table first. A failure names the table in its
     * message and keeps PostgreSQL's SQLState, by which it is classified.
     */
    void write(Connection c, ChangeBuffer buffer) throws SQLException {
        for (ChangeBuffer.TableChanges t : buffer.tables()) {
            try {
                write(c, t);
            } catch (SQLException e) {
                if (SqlErrors.isRetriable(e)) {
                    throw e;
                }
                throw new SQLException("table " + t.schema.qualifiedName() + ": " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    private void write(Connection c, ChangeBuffer.TableChanges t) throws SQLException {
        targetTables.ensure(c, t.schema);
        if (t.truncate) {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE " + name(t.schema));
            }
        }
        if (t.keylessEdits) {
            keyless.write(c, t, this::upsert);
            return;
        }
        List<String[]> deletes = new ArrayList<>();
        List<ChangeBuffer.Pending> fresh = new ArrayList<>();
        Map<String, List<ChangeBuffer.Pending>> upserts = new LinkedHashMap<>();
        for (ChangeBuffer.Pending p : t.rows.values()) {
            if (p.isDelete()) {
                deletes.add(p.values);
            } else if (p.fresh && p.unchanged.length == 0) {
                fresh.add(p);
            } else {
                upserts.computeIfAbsent(Arrays.toString(p.unchanged), k -> new ArrayList<>()).add(p);
            }
        }
        if (!deletes.isEmpty()) {
            delete(c, t, deletes);
        }
        if (fresh.size() >= MIN_COPY_ROWS) {
            if (!copyFresh(c, t, fresh)) {
                upsert(c, t, fresh);
            }
        } else if (!fresh.isEmpty()) {
            upserts.computeIfAbsent("[]", k -> new ArrayList<>()).addAll(fresh);
        }
        for (List<ChangeBuffer.Pending> group : upserts.values()) {
            upsert(c, t, group);
        }
    }

    /**
     * Prepares a table for a snapshot, in one round trip: the table's first chunk empties it ({@code empty}),
     * since the snapshot is all of it; the first chunk with rows lets the stamp column default to the
     * snapshot time until {@link #endSnapshot} ({@code timestamped}), which an empty source table does not
     * need. Inside the snapshot's target transaction: TRUNCATE locks the table until that transaction
     * commits, so readers of the target table wait for the snapshot rather than see it half loaded.
     */
    void beginSnapshot(Connection c, TableSchema table, boolean empty, boolean timestamped, long snapshotMicros)
            throws SQLException {
        List<String> sql = new ArrayList<>(2);
        if (empty) {
            sql.add("TRUNCATE " + name(table));
        }
        String stamp = targetTables.stamp(table);
        if (timestamped && stamp != null) {
            // an ISO-8601 instant formatted here, no user input: DDL takes no parameters
            sql.add("ALTER TABLE " + name(table) + " ALTER COLUMN " + quote(stamp) + " SET DEFAULT '"
                    + timestamp(snapshotMicros) + "'::timestamptz");
        }
        if (!sql.isEmpty()) {
            try (Statement s = c.createStatement()) {
                s.execute(String.join("; ", sql));
            }
        }
    }

    /** Loads the bytes {@code [from, to)} of snapshot rows in COPY text format, as the source's COPY wrote them. */
    void copy(Connection c, TableSchema table, byte[] data, int from, int to) throws SQLException {
        if (to == from) {
            // an empty source table: its first chunk emptied the target table, nothing to load
            return;
        }
        copyIn(c, "COPY " + name(table) + " (" + columnList(table) + ") FROM STDIN", data, from, to);
    }

    private static void copyIn(Connection c, String sql, byte[] data, int from, int to) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(data, from, to - from);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The columns rows carry values for, quoted: all but the generated ones. */
    private static String columnList(TableSchema table) {
        return table.columns().stream().filter(Column::written).map(col -> quote(col.name()))
                .collect(Collectors.joining(", "));
    }

    /** The source commit time of each row, formatted once per source transaction (its rows share it). */
    private static @Nullable String[] commitTimes(List<ChangeBuffer.Pending> rows) {
        String[] times = new String[rows.size()];
        long micros = -1;
        String time = null;
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).commitMicros != micros) {
                micros = rows.get(r).commitMicros;
                time = timestamp(micros);
            }
            times[r] = time;
        }
        return times;
    }

    /** The snapshot's rows are in: the stamp column has no default again. */
    void endSnapshot(Connection c, TableSchema table) throws SQLException {
        String stamp = targetTables.stamp(table);
        if (stamp == null) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + name(table) + " ALTER COLUMN " + quote(stamp) + " DROP DEFAULT");
        }
    }

    /**
     * Inserts rows whose keys the target cannot hold yet (see {@link ChangeBuffer.Pending#fresh}) with COPY: no
     * conflict check, no array parsing. Under a savepoint: if the target does hold one of the keys after all (it
     * was written to by hand, say), the COPY is rolled back and false returned, for the caller to upsert.
     */
    private boolean copyFresh(Connection c, ChangeBuffer.TableChanges t, List<ChangeBuffer.Pending> rows)
            throws SQLException {
        StringBuilder data = new StringBuilder(rows.size() * 128);
        String[] times = commitTimes(rows);
        String stamp = targetTables.stamp(t.schema);
        List<Column> columns = t.schema.columns();
        for (int r = 0; r < rows.size(); r++) {
            String[] values = rows.get(r).values;
            boolean first = true;
            for (int i = 0; i < values.length; i++) {
                if (columns.get(i).written()) {
                    if (!first) {
                        data.append('\t');
                    }
                    copyValue(data, values[i]);
                    first = false;
                }
            }
            if (stamp != null) {
                data.append('\t');
                copyValue(data, times[r]);
            }
            data.append('\n');
        }
        byte[] bytes = data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.sql.Savepoint before = c.setSavepoint();
        try {
            copyIn(c, "COPY " + name(t.schema) + " (" + columnList(t.schema)
                    + (stamp == null ? "" : ", " + quote(stamp)) + ") FROM STDIN", bytes, 0, bytes.length);
        } catch (SQLException e) {
            c.rollback(before);
            if ("23505".equals(e.getSQLState())) {
                log.warn("{} already holds a row under a key the source inserted ({}); upserting these {} rows instead",
                        t.schema.qualifiedName(), e.getMessage(), rows.size());
                return false;
            }
            throw e;
        }
        c.releaseSavepoint(before);
        return true;
    }

    /** One value in COPY text format: NULL as {@code \N}; backslash, newline, carriage return and tab escaped. */
    static void copyValue(StringBuilder out, @Nullable String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            String escape = switch (ch) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            if (escape != null) {
                out.append(value, plain, i).append(escape);
                plain = i + 1;
            }
        }
        out.append(value, plain, value.length());
    }

    private void delete(Connection c, ChangeBuffer.TableChanges t, List<String[]> keys) throws SQLException {
        List<Column> keyColumns = Arrays.stream(t.keyIndexes).mapToObj(i -> t.schema.columns().get(i)).toList();
        String sql = sqlCache.computeIfAbsent("D" + t.schema, k -> {
            String params = keyColumns.stream().map(col -> "?::text[]").collect(Collectors.joining(", "));
            String names = keyColumns.stream().map(col -> quote(col.name())).collect(Collectors.joining(", "));
            String match = keyColumns.stream()
                    .map(col -> "t." + quote(col.name()) + " = d." + quote(col.name()) + "::" + col.type())
                    .collect(Collectors.joining(" AND "));
            return "DELETE FROM " + name(t.schema) + " AS t USING unnest(" + params + ") AS d(" + names + ") WHERE "
                    + match;
        });
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < keyColumns.size(); k++) {
                String[] column = new String[keys.size()];
                for (int r = 0; r < keys.size(); r++) {
                    column[r] = keys.get(r)[k];
                }
                ps.setString(k + 1, arrayLiteral(column));
            }
            ps.executeUpdate();
        }
    }

    private void upsert(Connection c, ChangeBuffer.TableChanges t, List<ChangeBuffer.Pending> rows) throws SQLException {
        int[] unchanged = rows.get(0).unchanged;
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < t.schema.columns().size(); i++) {
            if (Arrays.binarySearch(unchanged, i) < 0 && t.schema.columns().get(i).written()) {
                written.add(i);
            }
        }
        String stamp = targetTables.stamp(t.schema);
        String sql = sqlCache.computeIfAbsent("U" + Arrays.toString(unchanged) + t.schema,
                k -> upsertSql(t, written, stamp));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int param = 1;
            for (int column : written) {
                String[] values = new String[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    values[r] = rows.get(r).values[column];
                }
                ps.setString(param++, arrayLiteral(values));
            }
            if (stamp != null) {
                ps.setString(param, arrayLiteral(commitTimes(rows)));
            }
            ps.executeUpdate();
        }
    }

    private static String upsertSql(ChangeBuffer.TableChanges t, List<Integer> written, @Nullable String stamp) {
        List<String> names = new ArrayList<>();
        List<String> params = new ArrayList<>();
        List<String> casts = new ArrayList<>();
        for (int i : written) {
            Column col = t.schema.columns().get(i);
            names.add(quote(col.name()));
            params.add("?::text[]");
            casts.add("u." + quote(col.name()) + "::" + col.type());
        }
        if (stamp != null) {
            names.add(quote(stamp));
            params.add("?::text[]");
            casts.add("u." + quote(stamp) + "::timestamptz");
        }
        List<Column> columns = written.stream().map(i -> t.schema.columns().get(i)).toList();
        String nameList = String.join(", ", names);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(name(t.schema)).append(" (").append(nameList)
                .append(") SELECT ").append(String.join(", ", casts)).append(" FROM unnest(")
                .append(String.join(", ", params)).append(") AS u(").append(nameList).append(")");
        if (t.keyIndexes.length > 0) {
            String key = Arrays.stream(t.keyIndexes).mapToObj(i -> quote(t.schema.columns().get(i).name()))
                    .collect(Collectors.joining(", "));
            String set = columns.stream().filter(col -> !col.primaryKey())
                    .map(col -> quote(col.name()) + " = EXCLUDED." + quote(col.name()))
                    .collect(Collectors.joining(", "));
            if (stamp != null) {
                set = (set.isEmpty() ? "" : set + ", ") + quote(stamp) + " = EXCLUDED." + quote(stamp);
            }
            sql.append(" ON CONFLICT (").append(key).append(")")
                    .append(set.isEmpty() ? " DO NOTHING" : " DO UPDATE SET " + set);
        }
        return sql.toString();
    }

    /**
     * A {@code text[]} literal: each element double-quoted, with backslashes and quotes escaped; NULL bare.
     * Built here in one pass because the driver's binary array encoding costs several times more per row.
     */
    static String arrayLiteral(@Nullable String[] values) {
        int size = 2;
        for (String value : values) {
            size += value == null ? 5 : value.length() + 3;
        }
        StringBuilder sb = new StringBuilder(size + 16).append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String value = values[i];
            if (value == null) {
                sb.append("NULL");
                continue;
            }
            sb.append('"');
            if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
                sb.append(value);
            } else {
                for (int j = 0; j < value.length(); j++) {
                    char ch = value.charAt(j);
                    if (ch == '"' || ch == '\\') {
                        sb.append('\\');
                    }
                    sb.append(ch);
                }
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    static @Nullable String timestamp(long micros) {
        return micros == 0 ? null : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L).toString();
    }

    static String name(TableSchema table) {
        return TargetTables.name(table);
    }

    static String quote(String identifier) {
        return TargetTables.quote(identifier);
    }
}
