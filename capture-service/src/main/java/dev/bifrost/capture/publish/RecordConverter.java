package dev.bifrost.capture.publish;

import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * Converts one Debezium data change event into a row change of the changelog, with its table's columns.
 * Column order follows the event; types, nullability and the primary key come from the source catalog,
 * looked up again whenever Debezium's schema of the table changes (a column was added, say).
 */
class RecordConverter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecordConverter.class);

    /** A converted change; {@code change.table()} is not yet an index and is 0. */
    record Converted(TableSchema table, RowChange change) {
    }

    private record CachedTable(@Nullable Schema rowSchema, TableSchema table, int[] keyIndexes) {
    }

    /** The envelope fields this converter reads, by position: a lookup by name per event costs a hash probe. */
    private record Envelope(Schema envelope, Field source, Field schema, Field table, Field op,
            @Nullable Field before, @Nullable Field after) {

        static Envelope of(Schema envelope) {
            Field source = envelope.field("source");
            return new Envelope(envelope, source, source.schema().field("schema"), source.schema().field("table"),
                    envelope.field("op"), envelope.field("before"), envelope.field("after"));
        }
    }

    private final SourceCatalog catalog;
    private final Map<String, CachedTable> tables = new HashMap<>();
    /**
     * By topic (one per table), with the envelope schema it was found in: Debezium builds a new schema object
     * whenever it reads the table's definition again, and only the latest is kept.
     */
    private final Map<String, Envelope> envelopes = new HashMap<>();

    RecordConverter(SourceCatalog catalog) {
        this.catalog = catalog;
    }

    /** Converts a data change event; null for events that carry no row change (tombstones). */
    @Nullable Converted convert(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return null;
        }
        Envelope envelope = envelope(record.topic(), value.schema());
        Struct source = (Struct) value.get(envelope.source());
        String schema = (String) source.get(envelope.schema());
        String tableName = (String) source.get(envelope.table());
        String op = (String) value.get(envelope.op());
        Schema rowSchema = envelope.after() == null ? null : envelope.after().schema();
        CachedTable table = table(schema, tableName, rowSchema);
        return switch (op) {
            case "c", "r" -> {
                List<Integer> unchanged = new ArrayList<>();
                String[] row = row(table, (Struct) value.get(envelope.after()), unchanged);
                if (!unchanged.isEmpty()) {
                    // a primary-key change of a row whose TOASTed values pgoutput did not resend
                    log.warn("{}: a row moved to a new primary key without its unchanged TOASTed columns; targets "
                            + "get NULL there unless the table has REPLICA IDENTITY FULL", table.table().qualifiedName());
                }
                yield new Converted(table.table(), new RowChange(0, RowChange.Op.INSERT, null, row,
                        unchanged.stream().mapToInt(Integer::intValue).toArray()));
            }
            case "u" -> {
                List<Integer> unchanged = new ArrayList<>();
                String[] row = row(table, (Struct) value.get(envelope.after()), unchanged);
                yield new Converted(table.table(),
                        RowChange.update(0, row, unchanged.stream().mapToInt(Integer::intValue).toArray()));
            }
            case "d" -> new Converted(table.table(),
                    RowChange.delete(0, key(table, (Struct) value.get(envelope.before()))));
            case "t" -> new Converted(table.table(), RowChange.truncate(0));
            default -> throw new IllegalArgumentException("unknown Debezium operation '" + op + "' on "
                    + schema + "." + tableName);
        };
    }

    private Envelope envelope(String topic, Schema schema) {
        Envelope envelope = envelopes.get(topic);
        if (envelope == null || envelope.envelope() != schema) {
            envelope = Envelope.of(schema);
            envelopes.put(topic, envelope);
        }
        return envelope;
    }

    private CachedTable table(String schema, String name, @Nullable Schema rowSchema) {
        String qualified = schema + "." + name;
        CachedTable cached = tables.get(qualified);
        if (cached != null && (rowSchema == null || cached.rowSchema() == rowSchema)) {
            return cached;
        }
        Map<String, Column> catalogColumns = catalog.columns(schema, name);
        List<Column> columns = new ArrayList<>();
        if (rowSchema != null) {
            for (Field field : rowSchema.fields()) {
                Column known = catalogColumns.get(field.name());
                // a column dropped since the event was written: keep its data as text
                columns.add(known != null ? known : new Column(field.name(), "text", true, false));
            }
        } else {
            columns.addAll(catalogColumns.values());
        }
        TableSchema table = new TableSchema(schema, name, columns);
        cached = new CachedTable(rowSchema, table, table.keyIndexes());
        tables.put(qualified, cached);
        return cached;
    }

    private static @Nullable String[] row(CachedTable table, Struct struct, @Nullable List<Integer> unchanged) {
        List<Field> fields = struct.schema().fields();
        String[] row = new String[fields.size()];
        for (int i = 0; i < row.length; i++) {
            Field field = fields.get(i);
            Object value = value(struct, field);
            if (unchanged != null && ValueText.isUnavailable(value)) {
                unchanged.add(i);
            } else {
                row[i] = ValueText.of(field.schema(), value);
            }
        }
        return row;
    }

    private static @Nullable String[] key(CachedTable table, Struct before) {
        int[] keyIndexes = table.keyIndexes();
        String[] key = new String[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            Column column = table.table().columns().get(keyIndexes[i]);
            Field field = before.schema().field(column.name());
            key[i] = ValueText.of(field.schema(), value(before, field));
        }
        return key;
    }

    /**
     * The field's value as sent, never its column default: by position when the field has no default (most
     * do not), which spares a lookup by name per value on the capture's hot path.
     */
    private static @Nullable Object value(Struct struct, Field field) {
        return field.schema().defaultValue() == null ? struct.get(field) : struct.getWithoutDefault(field.name());
    }
}
