package dev.bifrost.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link ChangelogRecord}s as compact JSON: table metadata once per record, rows as
 * positional arrays of text values. Thread-safe.
 *
 * <pre>{"v":2,"k":"T","x":42,"s":0,"l":true,"lsn":123,"ts":1700000000000000,
 *  "t":[["raw","t",[["id","bigint",false,true],["v","text",true,false]]]],
 *  "c":[[0,"I",null,["1","a"],[]],[0,"D",["2"],null,[]]]}</pre>
 *
 * <p>A record with {@link ChangelogRecord#copy() COPY rows} declares them in the header ({@code "cp"}: rows,
 * {@code "cb"}: bytes), and the rows follow the JSON object after one newline, as they are: the header never
 * holds a raw newline, and the rows are neither escaped nor parsed.
 */
public final class ChangelogSerde {

    /**
     * The format version this code writes and the newest it reads. 2 added COPY rows; a reader of version 1
     * would skip them unnoticed, so it must refuse the records instead. 3 added schema changes ({@code "sc"})
     * and the source identities of tables and columns (oid, attnum), generated expressions and fast defaults.
     */
    public static final int VERSION = 3;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    public byte[] serialize(ChangelogRecord record) {
        var out = new ByteArrayOutputStream(256 + record.changes().size() * 128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", record.version());
            g.writeStringField("k", record.kind() == ChangelogRecord.Kind.SCHEMA ? "M"
                    : record.kind().name().substring(0, 1));
            g.writeNumberField("x", record.xid());
            g.writeNumberField("s", record.seq());
            g.writeBooleanField("l", record.last());
            g.writeNumberField("lsn", record.commitLsn());
            g.writeNumberField("ts", record.commitTimeMicros());
            g.writeArrayFieldStart("t");
            for (TableSchema table : record.tables()) {
                writeTable(g, table);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("c");
            for (RowChange change : record.changes()) {
                g.writeStartArray();
                g.writeNumber(change.table());
                g.writeString(change.op().name().substring(0, 1));
                writeValues(g, change.key());
                writeValues(g, change.row());
                g.writeArray(change.unchanged(), 0, change.unchanged().length);
                g.writeEndArray();
            }
            g.writeEndArray();
            if (!record.schemaChanges().isEmpty()) {
                g.writeArrayFieldStart("sc");
                for (SchemaChange change : record.schemaChanges()) {
                    g.writeStartArray();
                    g.writeNumber(change.at());
                    writeTable(g, change.before());
                    writeTable(g, change.after());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            CopyRows copy = record.copy();
            if (copy != null) {
                g.writeNumberField("cp", copy.rows());
                g.writeNumberField("cb", copy.data().length);
            }
            g.writeEndObject();
            g.flush();
            if (copy != null) {
                out.write('\n');
                out.write(copy.data());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code [schema, name, [[column, type, nullable, key, attnum, generated, missing], ...], oid]} or null. */
    private static void writeTable(JsonGenerator g, @Nullable TableSchema table) throws IOException {
        if (table == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        g.writeString(table.schema());
        g.writeString(table.name());
        g.writeStartArray();
        for (Column column : table.columns()) {
            g.writeStartArray();
            g.writeString(column.name());
            g.writeString(column.type());
            g.writeBoolean(column.nullable());
            g.writeBoolean(column.primaryKey());
            g.writeNumber(column.attnum());
            g.writeString(column.generated());
            g.writeString(column.missing());
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeNumber(table.oid());
        g.writeEndArray();
    }

    private static void writeValues(JsonGenerator g, @Nullable String @Nullable [] values) throws IOException {
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (String value : values) {
            if (value == null) {
                g.writeNull();
            } else {
                g.writeString(value);
            }
        }
        g.writeEndArray();
    }

    /**
     * Reads one record.
     *
     * @throws ChangelogFormatException if the bytes are not a changelog record this version can read
     */
    public ChangelogRecord deserialize(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            return read(p, bytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ChangelogFormatException formatException) {
                throw formatException;
            }
            throw new ChangelogFormatException("not a readable changelog record (" + bytes.length + " bytes): "
                    + e.getMessage(), e);
        }
    }

    private static ChangelogRecord read(JsonParser p, byte[] bytes) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        int version = -1;
        ChangelogRecord.Kind kind = null;
        long xid = 0;
        int seq = 0;
        boolean last = false;
        long lsn = 0;
        long ts = 0;
        List<TableSchema> tables = List.of();
        List<RowChange> changes = List.of();
        List<SchemaChange> schemaChanges = List.of();
        int copyRows = -1;
        int copyBytes = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "v" -> {
                    version = p.getIntValue();
                    if (version > VERSION || version < 1) {
                        throw new ChangelogFormatException("changelog format version " + version
                                + " is not supported (this build reads versions 1 to " + VERSION
                                + "); upgrade apply-service to the capture-service's version");
                    }
                }
                case "k" -> kind = kind(p.getText());
                case "x" -> xid = p.getLongValue();
                case "s" -> seq = p.getIntValue();
                case "l" -> last = p.getBooleanValue();
                case "lsn" -> lsn = p.getLongValue();
                case "ts" -> ts = p.getLongValue();
                case "t" -> tables = readTables(p);
                case "c" -> changes = readChanges(p);
                case "sc" -> schemaChanges = readSchemaChanges(p);
                case "cp" -> copyRows = p.getIntValue();
                case "cb" -> copyBytes = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        if (version < 0 || kind == null) {
            throw new ChangelogFormatException("changelog record lacks its version or kind");
        }
        CopyRows copy = copyRows < 0 ? null : new CopyRows(copyRows, copyPayload(bytes, copyBytes));
        return new ChangelogRecord(version, kind, xid, seq, last, lsn, ts, tables, changes, copy, schemaChanges);
    }

    private static byte[] copyPayload(byte[] bytes, int length) {
        int newline = 0;
        while (newline < bytes.length && bytes[newline] != '\n') {
            newline++;
        }
        int start = newline + 1;
        if (length < 0 || bytes.length - start != length) {
            throw new ChangelogFormatException("COPY rows of " + (bytes.length - start) + " bytes where the header "
                    + "declares " + length + " (a truncated record?)");
        }
        return java.util.Arrays.copyOfRange(bytes, start, bytes.length);
    }

    private static ChangelogRecord.Kind kind(String code) {
        return switch (code) {
            case "T" -> ChangelogRecord.Kind.TRANSACTION;
            case "S" -> ChangelogRecord.Kind.SNAPSHOT;
            case "H" -> ChangelogRecord.Kind.HEARTBEAT;
            case "M" -> ChangelogRecord.Kind.SCHEMA;
            default -> throw new ChangelogFormatException("unknown changelog record kind '" + code + "'");
        };
    }

    private static RowChange.Op op(String code) {
        return switch (code) {
            case "I" -> RowChange.Op.INSERT;
            case "U" -> RowChange.Op.UPDATE;
            case "D" -> RowChange.Op.DELETE;
            case "T" -> RowChange.Op.TRUNCATE;
            default -> throw new ChangelogFormatException("unknown row operation '" + code + "'");
        };
    }

    private static List<TableSchema> readTables(JsonParser p) throws IOException {
        check(p, JsonToken.START_ARRAY);
        List<TableSchema> tables = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            tables.add(readTable(p));
        }
        return tables;
    }

    private static List<SchemaChange> readSchemaChanges(JsonParser p) throws IOException {
        check(p, JsonToken.START_ARRAY);
        List<SchemaChange> changes = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            int at = p.getIntValue();
            TableSchema before = p.nextToken() == JsonToken.VALUE_NULL ? null : readTable(p);
            TableSchema after = p.nextToken() == JsonToken.VALUE_NULL ? null : readTable(p);
            expect(p, JsonToken.END_ARRAY);
            changes.add(new SchemaChange(at, before, after));
        }
        return changes;
    }

    /** A table, the parser on its opening bracket; versions before 3 lack the oid and the columns' last three. */
    private static TableSchema readTable(JsonParser p) throws IOException {
        check(p, JsonToken.START_ARRAY);
        String schema = nextText(p);
        String name = nextText(p);
        expect(p, JsonToken.START_ARRAY);
        List<Column> columns = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            String column = nextText(p);
            String type = nextText(p);
            boolean nullable = p.nextBooleanValue();
            boolean primaryKey = p.nextBooleanValue();
            int attnum = 0;
            String generated = null;
            String missing = null;
            if (p.nextToken() != JsonToken.END_ARRAY) {
                attnum = p.getIntValue();
                generated = p.nextTextValue();
                missing = p.nextTextValue();
                expect(p, JsonToken.END_ARRAY);
            }
            columns.add(new Column(column, type, nullable, primaryKey, attnum, generated, missing));
        }
        long oid = 0;
        if (p.nextToken() != JsonToken.END_ARRAY) {
            oid = p.getLongValue();
            expect(p, JsonToken.END_ARRAY);
        }
        return new TableSchema(schema, name, columns, oid);
    }

    private static List<RowChange> readChanges(JsonParser p) throws IOException {
        check(p, JsonToken.START_ARRAY);
        List<RowChange> changes = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_ARRAY) {
            p.nextToken();
            int table = p.getIntValue();
            RowChange.Op op = op(nextText(p));
            p.nextToken();
            String[] key = readValues(p);
            p.nextToken();
            String[] row = readValues(p);
            expect(p, JsonToken.START_ARRAY);
            int[] unchanged = new int[0];
            int n = 0;
            while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                if (n == unchanged.length) {
                    unchanged = java.util.Arrays.copyOf(unchanged, Math.max(4, n * 2));
                }
                unchanged[n++] = p.getIntValue();
            }
            expect(p, JsonToken.END_ARRAY);
            changes.add(new RowChange(table, op, key, row, java.util.Arrays.copyOf(unchanged, n)));
        }
        return changes;
    }

    private static @Nullable String @Nullable [] readValues(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        check(p, JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            values.add(token == JsonToken.VALUE_NULL ? null : p.getText());
        }
        return values.toArray(new String[0]);
    }

    private static String nextText(JsonParser p) throws IOException {
        String text = p.nextTextValue();
        if (text == null) {
            throw new ChangelogFormatException("expected a string at " + p.currentLocation());
        }
        return text;
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        p.nextToken();
        check(p, token);
    }

    private static void check(JsonParser p, JsonToken token) {
        if (p.currentToken() != token) {
            throw new ChangelogFormatException("expected " + token + " but found " + p.currentToken() + " at "
                    + p.currentLocation());
        }
    }
}
