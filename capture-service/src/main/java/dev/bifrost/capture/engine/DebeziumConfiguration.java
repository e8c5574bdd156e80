package dev.bifrost.capture.engine;

import dev.bifrost.capture.CaptureProperties;
import dev.bifrost.capture.publish.PgTextConverter;
import dev.bifrost.capture.publish.ValueText;
import io.debezium.config.CommonConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.embedded.EmbeddedEngineConfig;
import io.debezium.heartbeat.Heartbeat;
import io.debezium.relational.RelationalDatabaseConnectorConfig;
import java.util.Properties;

/**
 * The one place where Bifrost's typed configuration becomes Debezium engine properties.
 *
 * <p>The choices that matter for correctness: the publication is Bifrost's own (created as
 * {@code FOR TABLES IN SCHEMA}, so tables created later are captured) and never auto-created by Debezium;
 * Debezium takes no snapshot (Bifrost copies the tables itself); TRUNCATE is not skipped; transaction metadata
 * is on, so transactions can be closed exactly; no tombstones;
 * values arrive in forms that print back to PostgreSQL text losslessly (decimals as strings, times in
 * microseconds, intervals as ISO 8601); offsets live in ThorDB.
 */
final class DebeziumConfiguration {

    private DebeziumConfiguration() {
    }

    /** The engine's name, which keys its offsets. */
    static String engineName(CaptureProperties capture) {
        return "bifrost-capture-" + capture.slotName();
    }

    static Properties of(CaptureProperties capture) {
        CaptureProperties.Source source = capture.source();
        Properties p = new Properties();
        p.setProperty(EmbeddedEngineConfig.ENGINE_NAME.name(), engineName(capture));
        p.setProperty(EmbeddedEngineConfig.CONNECTOR_CLASS.name(), PostgresConnector.class.getName());
        p.setProperty(EmbeddedEngineConfig.OFFSET_STORAGE.name(), JdbcOffsetBackingStore.class.getName());
        p.setProperty(EmbeddedEngineConfig.OFFSET_FLUSH_INTERVAL_MS.name(), "1000");
        p.setProperty(JdbcOffsetBackingStore.URL, source.jdbcUrl());
        p.setProperty(JdbcOffsetBackingStore.USER, source.user());
        p.setProperty(JdbcOffsetBackingStore.PASSWORD, source.password());

        p.setProperty(RelationalDatabaseConnectorConfig.HOSTNAME.name(), source.host());
        p.setProperty(PostgresConnectorConfig.PORT.name(), Integer.toString(source.port()));
        p.setProperty(RelationalDatabaseConnectorConfig.DATABASE_NAME.name(), source.database());
        p.setProperty(RelationalDatabaseConnectorConfig.USER.name(), source.user());
        p.setProperty(RelationalDatabaseConnectorConfig.PASSWORD.name(), source.password());
        p.setProperty(CommonConnectorConfig.TOPIC_PREFIX.name(), capture.topicPrefix());

        p.setProperty(PostgresConnectorConfig.PLUGIN_NAME.name(), "pgoutput");
        p.setProperty(PostgresConnectorConfig.SLOT_NAME.name(), capture.slotName());
        p.setProperty(PostgresConnectorConfig.PUBLICATION_NAME.name(), capture.publicationName());
        p.setProperty(PostgresConnectorConfig.PUBLICATION_AUTOCREATE_MODE.name(), "disabled");
        // the initial snapshot is Bifrost's own (InitialSnapshot); with no offset yet, Debezium streams from
        // the slot's confirmed position, the snapshot's consistent point
        p.setProperty(PostgresConnectorConfig.SNAPSHOT_MODE.name(), "no_data");
        p.setProperty(RelationalDatabaseConnectorConfig.SCHEMA_INCLUDE_LIST.name(),
                String.join(",", capture.schemas()));

        p.setProperty(CommonConnectorConfig.PROVIDE_TRANSACTION_METADATA.name(), "true");
        p.setProperty(CommonConnectorConfig.SKIPPED_OPERATIONS.name(), "none");
        p.setProperty(CommonConnectorConfig.TOMBSTONES_ON_DELETE.name(), "false");
        p.setProperty(Heartbeat.HEARTBEAT_INTERVAL.name(), Long.toString(capture.heartbeatInterval().toMillis()));

        p.setProperty(RelationalDatabaseConnectorConfig.DECIMAL_HANDLING_MODE.name(), "string");
        p.setProperty(RelationalDatabaseConnectorConfig.TIME_PRECISION_MODE.name(), "adaptive_time_microseconds");
        p.setProperty(RelationalDatabaseConnectorConfig.BINARY_HANDLING_MODE.name(), "bytes");
        p.setProperty(PostgresConnectorConfig.INTERVAL_HANDLING_MODE.name(), "string");
        p.setProperty(PostgresConnectorConfig.HSTORE_HANDLING_MODE.name(), "map");
        p.setProperty(PostgresConnectorConfig.UNAVAILABLE_VALUE_PLACEHOLDER.name(), ValueText.UNAVAILABLE);
        p.setProperty(PostgresConnectorConfig.INCLUDE_UNKNOWN_DATATYPES.name(), "true");
        // the values Debezium's conversions would change arrive as the server's text (see PgTextConverter)
        p.setProperty(CommonConnectorConfig.CUSTOM_CONVERTERS.name(), "pgtext");
        p.setProperty("pgtext.type", PgTextConverter.class.getName());
        // no message.prefix filter: Bifrost's event trigger's logical-decoding messages are schema changes, and
        // other applications' are counted as they are skipped (TransactionAssembler)

        // per-event work on Debezium's one connector thread, which bounds the streaming rate: no context
        // headers on every record (Bifrost reads none)
        p.setProperty(CommonConnectorConfig.EXTENDED_HEADERS_ENABLED.name(), "false");
        // a short queue: the connector thread is the bottleneck, so a longer one only keeps more events alive
        // across young collections, each of which stops that thread too
        p.setProperty(CommonConnectorConfig.MAX_BATCH_SIZE.name(), "1024");
        p.setProperty(CommonConnectorConfig.MAX_QUEUE_SIZE.name(), "4096");
        p.setProperty(CommonConnectorConfig.POLL_INTERVAL_MS.name(), Long.toString(capture.pollInterval().toMillis()));
        p.setProperty(RelationalDatabaseConnectorConfig.SNAPSHOT_FETCH_SIZE.name(), "10240");
        return p;
    }
}
