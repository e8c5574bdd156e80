package dev.bifrost.capture.publish;

import dev.bifrost.model.Column;
import dev.bifrost.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the table shapes that ThorDB's {@code bifrost_ddl.table_shape()} writes (see {@code db/ddl/ddl-capture.sql}):
 * in the event trigger's logical-decoding messages, and when the capture reads the catalog itself.
 */
final class ShapeJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A message of the event trigger: a table's new shape, or its drop. */
    record Message(boolean drop, TableSchema table) {
    }

    private ShapeJson() {
    }

    static Message message(String json) {
        JsonNode message = JSON.readTree(json);
        String op = message.path("op").asString("");
        JsonNode table = message.path("table");
        if (!(op.equals("shape") || op.equals("drop")) || !table.isObject()) {
            throw new IllegalArgumentException("not a Bifrost schema message: " + abbreviated(json));
        }
        return new Message(op.equals("drop"), table(table));
    }

    /** A shape as {@code bifrost_ddl.table_shape()} returns it; null for a table that does not exist. */
    static @Nullable TableSchema table(@Nullable String json) {
        return json == null ? null : table(JSON.readTree(json));
    }

    private static TableSchema table(JsonNode table) {
        List<Column> columns = new ArrayList<>();
        for (JsonNode column : table.path("columns")) {
            columns.add(new Column(column.path("name").asString(), column.path("type").asString(),
                    !column.path("notnull").asBoolean(), column.path("key").asBoolean(),
                    column.path("attnum").asInt(), text(column.path("generated")), text(column.path("missing"))));
        }
        return new TableSchema(table.path("schema").asString(), table.path("name").asString(), columns,
                table.path("oid").asLong());
    }

    /** A shape in the form {@code bifrost_ddl.table_shape()} returns it. */
    static String write(TableSchema table) {
        var root = JSON.createObjectNode();
        root.put("oid", table.oid()).put("schema", table.schema()).put("name", table.name());
        var columns = root.putArray("columns");
        for (Column column : table.columns()) {
            columns.addObject().put("name", column.name()).put("attnum", column.attnum()).put("type", column.type())
                    .put("notnull", !column.nullable()).put("key", column.primaryKey())
                    .put("generated", column.generated()).put("missing", column.missing());
        }
        return JSON.writeValueAsString(root);
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
