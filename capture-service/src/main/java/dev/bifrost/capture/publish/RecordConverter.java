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
 * Converts one Debezium data change event into a row change of the changelog, with its table's shape at the
 * event's position in the stream ({@link TableShapes}). Values are placed by column name into the shape's
 * column order; a generated column, which pgoutput does not send, stays null and is computed by the target.
 * A keyless table's updates and deletes carry the whole old row (REPLICA IDENTITY FULL) as their key.
 */
class RecordConverter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RecordConverter.class);

    /** A converted change; {@code change.table()} is not yet an index and is 0. */
    record Converted(TableSchema table, RowChange change) {
    }

    /**
     * Where each field of a Debezium row schema goes in the table's shape, and where the key's values are; valid
     * while the row schema is the same object and no shape changed ({@link TableShapes#version()}).
     */
    private record Layout(Schema rowSchema, TableSchema table, int[] positions, Field[] keyFields, long version) {
    }

    /** The envelope fields this converter reads, by position: a lookup by name per event costs a hash probe. */
    private record Envelope(Schema envelope, Field source, Field schema, Field table, @Nullable Field lsn, Field op,
            @Nullable Field before, @Nullable Field after) {

        static Envelope of(Schema envelope) {
            Field source = envelope.field("source");
            return new Envelope(envelope, source, source.schema().field("schema"), source.schema().field("table"),
                    source.schema().field("lsn"), envelope.field("op"), envelope.field("before"),
                    envelope.field("after"));
        }
    }

    private final TableShapes shapes;
    /** By topic (one per table): one lookup per event on the capture's hot path. */
    private final Map<String, Layout> layouts = new HashMap<>();
    /**
     * By topic (one per table), with the envelope schema it was found in: Debezium builds a new schema object
     * whenever it reads the table's definition again, and only the latest is kept.
     */
    private final Map<String, Envelope> envelopes = new HashMap<>();

    RecordConverter(TableShapes shapes) {
        this.shapes = shapes;
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
        Object lsnValue = envelope.lsn() == null ? null : source.get(envelope.lsn());
        long lsn = lsnValue instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        Schema rowSchema = envelope.after() != null ? envelope.after().schema()
                : envelope.before() != null ? envelope.before().schema() : null;
        if (op.equals("t") || rowSchema == null) {
            return new Converted(shapes.shape(schema, tableName, lsn), RowChange.truncate(0));
        }
        Layout layout = layouts.get(record.topic());
        if (layout == null || layout.rowSchema() != rowSchema || layout.version() != shapes.version()) {
            layout = layout(shapes.shape(schema, tableName, lsn), rowSchema);
            layouts.put(record.topic(), layout);
        }
        TableSchema table = layout.table();
        return switch (op) {
            case "c", "r" -> {
                List<Integer> unchanged = new ArrayList<>();
                String[] row = row(layout, (Struct) value.get(envelope.after()), unchanged);
                if (!unchanged.isEmpty()) {
                    // a primary-key change of a row whose TOASTed values pgoutput did not resend
                    log.warn("{}: a row moved to a new primary key without its unchanged TOASTed columns; targets "
                            + "get NULL there unless the table has REPLICA IDENTITY FULL", table.qualifiedName());
                }
                yield new Converted(table, new RowChange(0, RowChange.Op.INSERT, null, row, ints(unchanged)));
            }
            case "u" -> {
                List<Integer> unchanged = new ArrayList<>();
                String[] row = row(layout, (Struct) value.get(envelope.after()), unchanged);
                String[] old = table.keyless() ? oldRow(layout, value, envelope) : null;
                yield new Converted(table, new RowChange(0, RowChange.Op.UPDATE, old, row, ints(unchanged)));
            }
            case "d" -> new Converted(table, RowChange.delete(0, table.keyless()
                    ? oldRow(layout, value, envelope) : key(layout, (Struct) value.get(envelope.before()))));
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

    private Layout layout(TableSchema shape, Schema rowSchema) {
        Layout layout = place(shape, rowSchema);
        if (layout == null) {
            // the event has columns the known shape lacks: only without the event trigger (see ddl-capture.sql)
            layout = place(shapes.refresh(shape.schema(), shape.name()), rowSchema);
        }
        if (layout == null) {
            layout = place(withTextColumns(shapes.refresh(shape.schema(), shape.name()), rowSchema), rowSchema);
        }
        return layout;
    }

    /** The layout of the row schema's fields in the shape; null if a field has no column there. */
    private @Nullable Layout place(TableSchema table, Schema rowSchema) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < table.columns().size(); i++) {
            index.put(table.columns().get(i).name(), i);
        }
        List<Field> fields = rowSchema.fields();
        int[] positions = new int[fields.size()];
        for (int i = 0; i < positions.length; i++) {
            Integer position = index.get(fields.get(i).name());
            if (position == null) {
                return null;
            }
            positions[i] = position;
        }
        int[] keyIndexes = table.keyIndexes();
        Field[] keyFields = new Field[keyIndexes.length];
        for (int k = 0; k < keyIndexes.length; k++) {
            keyFields[k] = rowSchema.field(table.columns().get(keyIndexes[k]).name());
        }
        return new Layout(rowSchema, table, positions, keyFields, shapes.version());
    }

    private static TableSchema withTextColumns(TableSchema table, Schema rowSchema) {
        List<Column> columns = new ArrayList<>(table.columns());
        for (Field field : rowSchema.fields()) {
            if (columns.stream().noneMatch(c -> c.name().equals(field.name()))) {
                log.warn("{}: column {} is not in the table's known shape (is the event trigger of ddl-capture.sql "
                        + "installed?); its values travel as text", table.qualifiedName(), field.name());
                columns.add(new Column(field.name(), "text", true, false));
            }
        }
        return new TableSchema(table.schema(), table.name(), columns, table.oid());
    }

    private static @Nullable String[] row(Layout layout, Struct struct, @Nullable List<Integer> unchanged) {
        List<Field> fields = struct.schema().fields();
        String[] row = new String[layout.table().columns().size()];
        int[] positions = layout.positions();
        for (int i = 0; i < positions.length; i++) {
            Field field = fields.get(i);
            Object value = value(struct, field);
            if (unchanged != null && ValueText.isUnavailable(value)) {
                unchanged.add(positions[i]);
            } else {
                row[positions[i]] = ValueText.of(field.schema(), value);
            }
        }
        return row;
    }

    /** A keyless table's old row, all of it (REPLICA IDENTITY FULL), which identifies the row to change. */
    private static @Nullable String[] oldRow(Layout layout, Struct value, Envelope envelope) {
        Struct before = envelope.before() == null ? null : (Struct) value.get(envelope.before());
        if (before == null) {
            throw new IllegalStateException(layout.table().qualifiedName() + " has no primary key and its update or "
                    + "delete came without the old row: give it a primary key or REPLICA IDENTITY FULL");
        }
        return row(layout, before, null);
    }

    private static @Nullable String[] key(Layout layout, Struct before) {
        Field[] keyFields = layout.keyFields();
        String[] key = new String[keyFields.length];
        for (int i = 0; i < keyFields.length; i++) {
            Field field = before.schema() == layout.rowSchema() ? keyFields[i]
                    : before.schema().field(layout.table().columns().get(layout.table().keyIndexes()[i]).name());
            if (field == null) {
                throw new IllegalStateException(layout.table().qualifiedName() + ": the old row of a delete lacks key "
                        + "column " + layout.table().columns().get(layout.table().keyIndexes()[i]).name());
            }
            key[i] = ValueText.of(field.schema(), value(before, field));
        }
        return key;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The field's value as sent, never its column default: by position when the field has no default (most
     * do not), which spares a lookup by name per value on the capture's hot path.
     */
    private static @Nullable Object value(Struct struct, Field field) {
        return field.schema().defaultValue() == null ? struct.get(field) : struct.getWithoutDefault(field.name());
    }
}
