package dev.bifrost.apply.apply;

import dev.bifrost.apply.schema.TargetTables;
import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the changes of a table without a replication key (REPLICA IDENTITY FULL) that updates or deletes rows:
 * in source order, since rows have no identity to coalesce by. An update or delete changes exactly one row that
 * equals the old row in every column (compared as text, so that types without an equality operator, such as
 * json or point, compare too), as on the source, also when several rows are equal. Inserts go in bulk between
 * them. One statement per update or delete: a keyless table has no better way to find its row.
 */
final class KeylessWriter {

    private static final Logger log = LoggerFactory.getLogger(KeylessWriter.class);

    /** Writes a run of inserts in bulk. */
    interface Inserter {
        void insert(Connection c, ChangeBuffer.TableChanges t, List<ChangeBuffer.Pending> rows) throws SQLException;
    }

    private final TargetTables targetTables;

    KeylessWriter(TargetTables targetTables) {
        this.targetTables = targetTables;
    }

    void write(Connection c, ChangeBuffer.TableChanges t, Inserter inserter) throws SQLException {
        List<ChangeBuffer.Pending> inserts = new ArrayList<>();
        for (ChangeBuffer.Pending p : t.rows.values()) {
            if (p.op == RowChange.Op.INSERT) {
                inserts.add(p);
                continue;
            }
            if (!inserts.isEmpty()) {
                inserter.insert(c, t, inserts);
                inserts = new ArrayList<>();
            }
            if (p.isDelete()) {
                delete(c, t.schema, p);
            } else {
                update(c, t.schema, p);
            }
        }
        if (!inserts.isEmpty()) {
            inserter.insert(c, t, inserts);
        }
    }

    private void delete(Connection c, TableSchema table, ChangeBuffer.Pending p) throws SQLException {
        String sql = "DELETE FROM " + TargetTables.name(table) + " WHERE ctid = (" + oneRow(table) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindRow(ps, 1, table, p.old);
            if (ps.executeUpdate() == 0) {
                log.warn("{}: a deleted row has no equal on the target, which differs from the source there",
                        table.qualifiedName());
            }
        }
    }

    private void update(Connection c, TableSchema table, ChangeBuffer.Pending p) throws SQLException {
        List<Column> columns = table.columns();
        List<String> set = new ArrayList<>();
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).written() && Arrays.binarySearch(p.unchanged, i) < 0) {
                set.add(TargetTables.quote(columns.get(i).name()) + " = ?::" + columns.get(i).type());
                written.add(i);
            }
        }
        String stamp = targetTables.stamp(table);
        if (stamp != null) {
            set.add(TargetTables.quote(stamp) + " = ?::timestamptz");
        }
        String sql = "UPDATE " + TargetTables.name(table) + " SET " + String.join(", ", set) + " WHERE ctid = ("
                + oneRow(table) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int param = 1;
            for (int i : written) {
                ps.setString(param++, p.values[i]);
            }
            if (stamp != null) {
                ps.setString(param++, TableWriter.timestamp(p.commitMicros));
            }
            bindRow(ps, param, table, p.old);
            if (ps.executeUpdate() == 0) {
                // inserting the new row instead could duplicate a row: the target differs from the source here
                throw new SQLException(table.qualifiedName() + " has no row equal to the old row of an update "
                        + "(REPLICA IDENTITY FULL, no key): the target differs from the source in this table; "
                        + "repair it (resync) and apply again", "P0002");
            }
        }
    }

    /** The ctid of one row equal to the bound old row in every written column. */
    private static String oneRow(TableSchema table) {
        List<String> match = new ArrayList<>();
        for (Column column : table.columns()) {
            if (column.written()) {
                match.add(TargetTables.quote(column.name()) + "::text IS NOT DISTINCT FROM (?::" + column.type()
                        + ")::text");
            }
        }
        return "SELECT ctid FROM " + TargetTables.name(table) + " WHERE " + String.join(" AND ", match) + " LIMIT 1";
    }

    private static void bindRow(PreparedStatement ps, int first, TableSchema table, @Nullable String[] row)
            throws SQLException {
        int param = first;
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).written()) {
                ps.setString(param++, row[i]);
            }
        }
    }
}
