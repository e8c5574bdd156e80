package dev.bifrost.apply.schema;

import dev.bifrost.model.Column;
import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a source table's change of shape to a target table, inside the target transaction that applies the
 * source transaction which made it, after the rows written before it and before those written after it.
 *
 * <p>Tables are matched by their source identity, columns by attnum: a renamed table or column is renamed on the
 * target, keeping its rows; a dropped one is dropped; a column added gets the value that the source's existing
 * rows read ({@link Column#missing()}); a retyped column is converted with the same cast the source used
 * implicitly ({@code USING column::type}); NOT NULL and the replication key follow the source. Each step checks
 * the target first, so a target that already has the new shape (created from a later snapshot, say) is left
 * as it is. Not replicated: indexes other than the key, constraints other than NOT NULL and the key, defaults,
 * triggers, grants, policies, comments.
 */
public final class ShapeChanges {

    private static final Logger log = LoggerFactory.getLogger(ShapeChanges.class);

    private final TargetTables tables;

    public ShapeChanges(TargetTables tables) {
        this.tables = tables;
    }

    public void apply(Connection c, SchemaChange change) throws SQLException {
        TableSchema before = change.before();
        TableSchema after = change.after();
        try (Statement s = c.createStatement()) {
            if (after == null) {
                s.execute("DROP TABLE IF EXISTS " + TargetTables.name(Objects.requireNonNull(before)));
                log.info("dropped table {}", before.qualifiedName());
            } else if (before == null) {
                tables.ensure(c, after);
                log.info("created table {}", after.qualifiedName());
            } else {
                alter(c, s, before, after);
                log.info("altered table {}: {} -> {}", after.qualifiedName(), describe(before), describe(after));
            }
        } finally {
            tables.forget();
        }
    }

    private void alter(Connection c, Statement s, TableSchema before, TableSchema after) throws SQLException {
        TableSchema current = moveTable(c, s, before, after);
        Map<String, String> existing = TargetTables.columns(c, after.schema(), after.name());
        if (existing.isEmpty()) {
            tables.ensure(c, after);
            return;
        }
        String table = TargetTables.name(after);
        Map<Integer, Column> old = new HashMap<>();
        for (Column column : current.columns()) {
            old.put(column.attnum(), column);
        }
        Set<Integer> kept = new HashSet<>();
        after.columns().forEach(column -> kept.add(column.attnum()));
        // dropped columns first: a column added in the same command may take a dropped one's name
        List<String> drops = new ArrayList<>();
        for (Column column : current.columns()) {
            if (!kept.contains(column.attnum()) && existing.remove(column.name()) != null) {
                drops.add("DROP COLUMN IF EXISTS " + TargetTables.quote(column.name()));
            }
        }
        if (!drops.isEmpty()) {
            s.execute("ALTER TABLE " + table + " " + String.join(", ", drops));
        }
        boolean keyChanged = !keyAttnums(before).equals(keyAttnums(after));
        if (keyChanged) {
            dropPrimaryKey(s, after);
        }
        List<String> alterations = new ArrayList<>();
        for (Column column : after.columns()) {
            Column was = old.get(column.attnum());
            if (column.name().equals(tables.stampColumn()) && tables.stamp(current) != null
                    && (was == null || !was.name().equals(column.name()))) {
                throw new SQLException("the source gave " + after.qualifiedName() + " a column named like Bifrost's "
                        + "column " + column.name() + ", which the target table has; set "
                        + "bifrost.apply.replicated-at-column to another name and copy the table again", "42701");
            }
            if (was == null) {
                if (!existing.containsKey(column.name())) {
                    addColumn(s, table, column);
                }
                continue;
            }
            String name = column.name();
            if (!was.name().equals(name) && existing.containsKey(was.name()) && !existing.containsKey(name)) {
                s.execute("ALTER TABLE " + table + " RENAME COLUMN " + TargetTables.quote(was.name()) + " TO "
                        + TargetTables.quote(name));
                existing.put(name, existing.remove(was.name()));
            }
            if (!existing.containsKey(name)) {
                // the target has the column under neither name (a transaction seen again, say): nothing to change
                continue;
            }
            String quoted = TargetTables.quote(name);
            if (was.generated() != null && column.generated() == null && was.type().equals(column.type())) {
                // DROP EXPRESSION: the values stay, as on the source
                alterations.add("ALTER COLUMN " + quoted + " DROP EXPRESSION");
            } else if (!was.type().equals(column.type()) || !Objects.equals(was.generated(), column.generated())) {
                if (column.generated() != null || was.generated() != null) {
                    // PostgreSQL cannot retype a generated expression in place: the column is computed anew
                    s.execute("ALTER TABLE " + table + " DROP COLUMN IF EXISTS " + quoted);
                    addColumn(s, table, column);
                    continue;
                }
                alterations.add("ALTER COLUMN " + quoted + " TYPE " + column.type() + " USING " + quoted + "::"
                        + column.type());
            }
            boolean notNull = !column.nullable() || column.primaryKey();
            boolean wasNotNull = !was.nullable() || was.primaryKey();
            if (notNull != wasNotNull && column.generated() == null) {
                alterations.add("ALTER COLUMN " + quoted + (notNull ? " SET" : " DROP") + " NOT NULL");
            }
        }
        if (!alterations.isEmpty()) {
            s.execute("ALTER TABLE " + table + " " + String.join(", ", alterations));
        }
        String stamp = tables.stamp(after);
        if (stamp != null && !TargetTables.columns(c, after.schema(), after.name()).containsKey(stamp)) {
            // the source dropped a column of the stamp's name, which the table went without
            s.execute("ALTER TABLE " + table + " ADD COLUMN " + TargetTables.quote(stamp) + " timestamptz");
        }
        List<String> key = keyOf(after);
        if (keyChanged && !key.isEmpty()) {
            s.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (" + String.join(", ",
                    key.stream().map(TargetTables::quote).toList()) + ")");
        }
    }

    /** Renames or moves the target table where the source did; returns the shape as it was, under the new name. */
    private static TableSchema moveTable(Connection c, Statement s, TableSchema before, TableSchema after)
            throws SQLException {
        if (before.qualifiedName().equals(after.qualifiedName())
                || TargetTables.columns(c, before.schema(), before.name()).isEmpty()
                || !TargetTables.columns(c, after.schema(), after.name()).isEmpty()) {
            return before;
        }
        String name = TargetTables.name(before);
        if (!before.name().equals(after.name())) {
            s.execute("ALTER TABLE " + name + " RENAME TO " + TargetTables.quote(after.name()));
            name = TargetTables.quote(before.schema()) + "." + TargetTables.quote(after.name());
        }
        if (!before.schema().equals(after.schema())) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + TargetTables.quote(after.schema()));
            s.execute("ALTER TABLE " + name + " SET SCHEMA " + TargetTables.quote(after.schema()));
        }
        return before;
    }

    private static void addColumn(Statement s, String table, Column column) throws SQLException {
        String quoted = TargetTables.quote(column.name());
        if (column.generated() != null || column.missing() == null) {
            s.execute("ALTER TABLE " + table + " ADD COLUMN " + TargetTables.definition(column));
            return;
        }
        // the rows that existed read the fast default on the source: give them the same value here
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + quoted + " " + column.type() + " DEFAULT "
                + literal(column.missing()) + "::" + column.type() + (column.nullable() ? "" : " NOT NULL"));
        s.execute("ALTER TABLE " + table + " ALTER COLUMN " + quoted + " DROP DEFAULT");
    }

    private static void dropPrimaryKey(Statement s, TableSchema after) throws SQLException {
        // the target's key constraint may be named after an older table name: found by the table it is on
        try (var rs = s.executeQuery("SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = "
                + "to_regclass(" + literal(TargetTables.name(after)) + ")")) {
            if (!rs.next()) {
                return;
            }
            String constraint = rs.getString(1);
            s.execute("ALTER TABLE " + TargetTables.name(after) + " DROP CONSTRAINT " + TargetTables.quote(constraint));
        }
    }

    /** The columns as {@code name#attnum type}, for the log. */
    private static String describe(TableSchema table) {
        return table.qualifiedName() + table.columns().stream().map(col -> col.name() + "#" + col.attnum() + " "
                + col.type() + (col.primaryKey() ? " key" : "")).toList();
    }

    private static List<Integer> keyAttnums(TableSchema table) {
        return table.columns().stream().filter(Column::primaryKey).map(Column::attnum).toList();
    }

    private static List<String> keyOf(TableSchema table) {
        return table.columns().stream().filter(Column::primaryKey).map(Column::name).toList();
    }

    /** A string literal for DDL, which takes no parameters: quotes doubled, standard_conforming_strings on. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
