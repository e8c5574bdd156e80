package dev.bifrost.capture.engine;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium offsets stored in the source database itself, table {@code bifrost.debezium_offset} (created by
 * Flyway). Offsets live beside the replication slot they describe: a fresh database never inherits the
 * offsets of another, and a restored one brings its own.
 *
 * <p>Instantiated by the Debezium engine by class name; configured through the engine properties
 * {@value #URL}, {@value #USER} and {@value #PASSWORD}. Each flush writes every changed key in one
 * transaction.
 */
public class JdbcOffsetBackingStore extends MemoryOffsetBackingStore {

    static final String URL = "bifrost.offset.jdbc.url";
    static final String USER = "bifrost.offset.jdbc.user";
    static final String PASSWORD = "bifrost.offset.jdbc.password";

    private static final String SELECT = "SELECT offset_key, offset_value FROM bifrost.debezium_offset";

    private static final String UPSERT = """
            INSERT INTO bifrost.debezium_offset (offset_key, offset_value, updated_at) VALUES (?, ?, now())
            ON CONFLICT (offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value, updated_at = now()""";

    private String url;
    private String user;
    private String password;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> originals = config.originalsStrings();
        url = required(originals, URL);
        user = required(originals, USER);
        password = originals.getOrDefault(PASSWORD, "");
    }

    private static String required(Map<String, String> originals, String key) {
        String value = originals.get(key);
        if (value == null || value.isBlank()) {
            throw new ConnectException("offset store property " + key + " is not set");
        }
        return value;
    }

    @Override
    public synchronized void start() {
        super.start();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(SELECT);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                byte[] value = rs.getBytes(2);
                data.put(ByteBuffer.wrap(rs.getBytes(1)), value == null ? null : ByteBuffer.wrap(value));
            }
        } catch (SQLException e) {
            throw new ConnectException("cannot read Debezium offsets from bifrost.debezium_offset at " + url, e);
        }
    }

    @Override
    protected void save() {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                    ps.setBytes(1, bytes(entry.getKey()));
                    ps.setBytes(2, entry.getValue() == null ? null : bytes(entry.getValue()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new ConnectException("cannot write Debezium offsets to bifrost.debezium_offset at " + url, e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }
}
