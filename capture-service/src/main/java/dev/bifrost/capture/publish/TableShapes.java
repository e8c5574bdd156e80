package dev.bifrost.capture.publish;

import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The shape of every captured table at the capture's position in the WAL stream, never today's catalog's.
 *
 * <p>A table is looked up once per engine run: in the shapes published before (see {@link ShapeHistory}) at the
 * position of the first event read, else in the catalog (a table no schema change touched since it was copied).
 * From then on it changes only with the event trigger's messages, read in stream order, each of which becomes a
 * {@link SchemaChange} from the shape the table had to the one it has. Tables are followed by oid, so a rename
 * (also into or out of the captured schemas) is a rename. One instance per engine run, on its one thread.
 */
final class TableShapes {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TableShapes.class);

    private final SourceCatalog catalog;
    private final ShapeHistory history;
    private final Set<String> schemas;
    private final Map<String, TableSchema> byName = new HashMap<>();
    private final Map<Long, TableSchema> byOid = new HashMap<>();
    private long version;

    TableShapes(SourceCatalog catalog, ShapeHistory history, List<String> schemas) {
        this.catalog = catalog;
        this.history = history;
        this.schemas = Set.copyOf(schemas);
    }

    /** The shape of the table an event at {@code lsn} was written to. */
    TableSchema shape(String schema, String name, long lsn) {
        TableSchema table = byName.get(schema + "." + name);
        if (table == null) {
            table = history.byName(schema, name, lsn);
            String from = "the shapes published before";
            if (table == null) {
                table = catalog.shape(schema, name);
                from = "the catalog";
            }
            log.debug("{}.{} at {}: shape from {}: {}", schema, name, Long.toUnsignedString(lsn), from, table);
            if (table == null) {
                // dropped since, and never recorded: its rows carry their values, the target keeps its types
                table = new TableSchema(schema, name, List.of());
            }
            put(table);
        }
        return table;
    }

    /** Changes whenever a known shape changes, so that what was derived from the shapes can be kept until then. */
    long version() {
        return version;
    }

    /** The table's shape read again from the catalog, when an event has columns its known shape lacks. */
    TableSchema refresh(String schema, String name) {
        TableSchema table = catalog.shape(schema, name);
        if (table == null) {
            return shape(schema, name, Long.MAX_VALUE);
        }
        TableSchema known = byName.remove(table.qualifiedName());
        if (known != null) {
            byOid.remove(known.oid());
        }
        put(table);
        return table;
    }

    /**
     * Takes in the event trigger's message at {@code lsn}; returns the schema change it makes to a captured
     * table, to be placed before the change at index {@code at} of its chunk, or null if it changes none.
     */
    @Nullable SchemaChange message(String json, int at, long lsn) {
        ShapeJson.Message message = ShapeJson.message(json);
        version++;
        TableSchema announced = message.table();
        TableSchema before = byOid.get(announced.oid());
        if (before == null) {
            before = history.byOid(announced.oid(), lsn);
        }
        if (before == null && !message.drop()) {
            before = byName.get(announced.qualifiedName());
        }
        TableSchema after = message.drop() ? null : announced;
        if (before != null) {
            byOid.remove(before.oid());
            byName.remove(before.qualifiedName());
        }
        if (after != null) {
            put(after);
        }
        TableSchema from = captured(before) ? before : null;
        TableSchema to = captured(after) ? after : null;
        if (before != null && from == null && to != null) {
            log.warn("{} moved into a captured schema (from {}): targets get the table without the rows it held; "
                    + "copy them (a resync) to bring the targets level", to.qualifiedName(), before.qualifiedName());
        }
        if ((from == null && to == null) || (from != null && from.equals(to))) {
            return null;
        }
        return new SchemaChange(at, from, to);
    }

    private boolean captured(@Nullable TableSchema table) {
        return table != null && schemas.contains(table.schema());
    }

    private void put(TableSchema table) {
        version++;
        byName.put(table.qualifiedName(), table);
        if (table.oid() != 0) {
            byOid.put(table.oid(), table);
        }
    }
}
